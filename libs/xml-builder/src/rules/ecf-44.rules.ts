import { ECF_COMMON_RULES } from './ecf-common.rules';
import { indicadorFacturacionIs } from './ecf-type.rules';
import { presenceRules, type PresenceEntry } from './presence.rule';
import type { RulesModule } from './rule.types';

/** e-CF 44 — Comprobante para Regímenes Especiales: exento lines. */
const PRESENCE: readonly PresenceEntry[] = [
  { path: 'Encabezado.Comprador', presence: 'required', section: 'PROTOCOL §4.1' },
  { path: 'Encabezado.IdDoc.FechaVencimientoSecuencia', presence: 'required', section: 'PROTOCOL §4.1' },
  { path: 'Encabezado.IdDoc.TipoIngresos', presence: 'required', section: 'PROTOCOL §4.4' },
  { path: 'Encabezado.IdDoc.TipoPago', presence: 'required', section: 'PROTOCOL §4.4' },
  { path: 'Encabezado.IdDoc.IndicadorNotaCredito', presence: 'forbidden', section: 'PROTOCOL §4.4' },
];

export const ECF_44_RULES: RulesModule = {
  kind: '44',
  lineDefaults: { indicadorFacturacion: 4, indicadorBienoServicio: 1 },
  rules: [...ECF_COMMON_RULES, ...presenceRules(PRESENCE), indicadorFacturacionIs(4)],
};
