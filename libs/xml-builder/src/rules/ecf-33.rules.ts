import { ECF_COMMON_RULES } from './ecf-common.rules';
import { presenceRules, type PresenceEntry } from './presence.rule';
import type { RulesModule } from './rule.types';

/** e-CF 33 — Nota de Débito Electrónica: references the invoice it increases. */
const PRESENCE: readonly PresenceEntry[] = [
  { path: 'InformacionReferencia', presence: 'required', section: 'PROTOCOL §4.1' },
  { path: 'Encabezado.IdDoc.FechaVencimientoSecuencia', presence: 'required', section: 'PROTOCOL §4.1' },
  { path: 'Encabezado.IdDoc.TipoIngresos', presence: 'required', section: 'PROTOCOL §4.4, §12' },
  { path: 'Encabezado.IdDoc.TipoPago', presence: 'required', section: 'PROTOCOL §4.4' },
  { path: 'Encabezado.IdDoc.IndicadorNotaCredito', presence: 'forbidden', section: 'PROTOCOL §4.4' },
];

export const ECF_33_RULES: RulesModule = {
  kind: '33',
  lineDefaults: { indicadorFacturacion: 1, indicadorBienoServicio: 1 },
  rules: [...ECF_COMMON_RULES, ...presenceRules(PRESENCE)],
};
