import { retencionItbis41 } from './ecf-type.rules';
import type { EcfTypeRules } from './rule.types';

/** e-CF 41 — Comprobante de Compras: the buyer withholds ITBIS as agent. */
export const ECF_41_RULES: EcfTypeRules = {
  type: '41',
  rules: [retencionItbis41],
};
