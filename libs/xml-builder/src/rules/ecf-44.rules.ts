import { indicadorFacturacionIs } from './ecf-type.rules';
import type { EcfTypeRules } from './rule.types';

/** e-CF 44 — Comprobante para Regímenes Especiales: exento lines. */
export const ECF_44_RULES: EcfTypeRules = {
  type: '44',
  lineDefaults: { indicadorFacturacion: 4, indicadorBienoServicio: 1 },
  rules: [indicadorFacturacionIs(4)],
};
