import { compradorAbove250k } from './ecf-common.rules';
import type { EcfTypeRules } from './rule.types';

/** e-CF 32 — Factura de Consumo Electrónica: from DOP 250,000 it names its buyer (PROTOCOL §4.1, §4.4). */
export const ECF_32_RULES: EcfTypeRules = {
  type: '32',
  rules: [compradorAbove250k],
};
