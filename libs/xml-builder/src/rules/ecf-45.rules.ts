import { ECF_COMMON_RULES } from './ecf-common.rules';
import { presenceRules, type PresenceEntry } from './presence.rule';
import type { RulesModule } from './rule.types';

/** e-CF 45 — Comprobante Gubernamental: like 31, the buyer is a government entity. */
const PRESENCE: readonly PresenceEntry[] = [
  { path: 'Encabezado.Comprador', presence: 'required', section: 'PROTOCOL §4.1' },
  { path: 'Encabezado.Comprador.RNCComprador', presence: 'required', section: 'PROTOCOL §4.1' },
  { path: 'Encabezado.IdDoc.FechaVencimientoSecuencia', presence: 'required', section: 'PROTOCOL §4.1' },
  { path: 'Encabezado.IdDoc.TipoIngresos', presence: 'required', section: 'PROTOCOL §4.4' },
  { path: 'Encabezado.IdDoc.TipoPago', presence: 'required', section: 'PROTOCOL §4.4' },
  { path: 'Encabezado.IdDoc.IndicadorNotaCredito', presence: 'forbidden', section: 'PROTOCOL §4.4' },
];

export const ECF_45_RULES: RulesModule = {
  kind: '45',
  lineDefaults: { indicadorFacturacion: 1, indicadorBienoServicio: 1 },
  rules: [...ECF_COMMON_RULES, ...presenceRules(PRESENCE)],
};
