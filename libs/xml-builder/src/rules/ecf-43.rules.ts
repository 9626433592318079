import { indicadorFacturacionIs } from './ecf-type.rules';
import type { EcfTypeRules } from './rule.types';

/** e-CF 43 — Comprobante para Gastos Menores: exento lines. */
export const ECF_43_RULES: EcfTypeRules = {
  type: '43',
  lineDefaults: { indicadorFacturacion: 4, indicadorBienoServicio: 1 },
  rules: [indicadorFacturacionIs(4)],
};
