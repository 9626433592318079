import { indicadorFacturacionIs } from './ecf-type.rules';
import type { EcfTypeRules } from './rule.types';

/** e-CF 46 — Comprobante para Exportaciones: ITBIS 0% lines. */
export const ECF_46_RULES: EcfTypeRules = {
  type: '46',
  lineDefaults: { indicadorFacturacion: 3, indicadorBienoServicio: 1 },
  rules: [indicadorFacturacionIs(3)],
};
