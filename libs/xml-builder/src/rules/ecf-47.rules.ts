import { indicadorFacturacionIs, servicioEn47 } from './ecf-type.rules';
import type { EcfTypeRules } from './rule.types';

/** e-CF 47 — Comprobante para Pagos al Exterior: exento service lines. */
export const ECF_47_RULES: EcfTypeRules = {
  type: '47',
  lineDefaults: { indicadorFacturacion: 4, indicadorBienoServicio: 2 },
  rules: [indicadorFacturacionIs(4), servicioEn47],
};
