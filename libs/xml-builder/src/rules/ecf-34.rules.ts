import { ECF_COMMON_RULES } from './ecf-common.rules';
import { notaCreditoTexto } from './ecf-type.rules';
import { presenceRules, type PresenceEntry } from './presence.rule';
import type { RulesModule } from './rule.types';

/** e-CF 34 — Nota de Crédito Electrónica: references the invoice it reduces or cancels. */
const PRESENCE: readonly PresenceEntry[] = [
  { path: 'InformacionReferencia', presence: 'required', section: 'PROTOCOL §4.1' },
  { path: 'Encabezado.IdDoc.IndicadorNotaCredito', presence: 'required', section: 'PROTOCOL §4.4' },
  { path: 'Encabezado.IdDoc.TipoIngresos', presence: 'required', section: 'PROTOCOL §4.4, §12' },
  { path: 'Encabezado.IdDoc.TipoPago', presence: 'required', section: 'PROTOCOL §4.4' },
  { path: 'Encabezado.IdDoc.FechaVencimientoSecuencia', presence: 'forbidden', section: 'PROTOCOL §4.1' },
  { path: 'Encabezado.IdDoc.TablaFormasPago', presence: 'forbidden', section: 'PROTOCOL §4.5' },
];

export const ECF_34_RULES: RulesModule = {
  kind: '34',
  lineDefaults: { indicadorFacturacion: 1, indicadorBienoServicio: 1 },
  rules: [...ECF_COMMON_RULES, ...presenceRules(PRESENCE), notaCreditoTexto],
};
