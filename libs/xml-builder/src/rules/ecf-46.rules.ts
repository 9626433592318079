import { ECF_COMMON_RULES } from './ecf-common.rules';
import { indicadorFacturacionIs } from './ecf-type.rules';
import { presenceRules, type PresenceEntry } from './presence.rule';
import type { RulesModule } from './rule.types';

/** e-CF 46 — Comprobante para Exportaciones: ITBIS 0% lines. */
const PRESENCE: readonly PresenceEntry[] = [
  { path: 'Encabezado.Comprador', presence: 'required', section: 'PROTOCOL §4.1' },
  { path: 'Encabezado.IdDoc.FechaVencimientoSecuencia', presence: 'required', section: 'PROTOCOL §4.1' },
  { path: 'Encabezado.IdDoc.TipoIngresos', presence: 'required', section: 'PROTOCOL §4.4' },
  { path: 'Encabezado.IdDoc.TipoPago', presence: 'required', section: 'PROTOCOL §4.4' },
  { path: 'Encabezado.IdDoc.IndicadorNotaCredito', presence: 'forbidden', section: 'PROTOCOL §4.4' },
];

export const ECF_46_RULES: RulesModule = {
  kind: '46',
  lineDefaults: { indicadorFacturacion: 3, indicadorBienoServicio: 1 },
  rules: [...ECF_COMMON_RULES, ...presenceRules(PRESENCE), indicadorFacturacionIs(3)],
};
