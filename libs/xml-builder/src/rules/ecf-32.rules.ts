import { ECF_COMMON_RULES, compradorAbove250k } from './ecf-common.rules';
import { presenceRules, type PresenceEntry } from './presence.rule';
import type { RulesModule } from './rule.types';

/** e-CF 32 — Factura de Consumo Electrónica; below DOP 250,000 it also travels as an RFCE (§5). */
const PRESENCE: readonly PresenceEntry[] = [
  { path: 'Encabezado.IdDoc.TipoIngresos', presence: 'required', section: 'PROTOCOL §4.4' },
  { path: 'Encabezado.IdDoc.TipoPago', presence: 'required', section: 'PROTOCOL §4.4' },
  { path: 'Encabezado.IdDoc.FechaVencimientoSecuencia', presence: 'forbidden', section: 'PROTOCOL §4.1' },
  { path: 'Encabezado.IdDoc.IndicadorNotaCredito', presence: 'forbidden', section: 'PROTOCOL §4.4' },
];

export const ECF_32_RULES: RulesModule = {
  kind: '32',
  lineDefaults: { indicadorFacturacion: 1, indicadorBienoServicio: 1 },
  rules: [...ECF_COMMON_RULES, ...presenceRules(PRESENCE), compradorAbove250k],
};
