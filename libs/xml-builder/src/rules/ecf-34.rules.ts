import { notaCreditoTexto } from './ecf-type.rules';
import type { EcfTypeRules } from './rule.types';

/** e-CF 34 — Nota de Crédito Electrónica: a text correction carries no amounts. */
export const ECF_34_RULES: EcfTypeRules = {
  type: '34',
  rules: [notaCreditoTexto],
};
