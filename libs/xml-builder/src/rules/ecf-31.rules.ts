import { ECF_COMMON_RULES } from './ecf-common.rules';
import { presenceRules, type PresenceEntry } from './presence.rule';
import type { RulesModule } from './rule.types';

/** e-CF 31 — Factura de Crédito Fiscal Electrónica (B2B). */
const PRESENCE: readonly PresenceEntry[] = [
  { path: 'Encabezado.Comprador', presence: 'required', section: 'PROTOCOL §4.1' },
  { path: 'Encabezado.Comprador.RNCComprador', presence: 'required', section: 'PROTOCOL §4.5' },
  { path: 'Encabezado.IdDoc.FechaVencimientoSecuencia', presence: 'required', section: 'PROTOCOL §4.1' },
  { path: 'Encabezado.IdDoc.TipoIngresos', presence: 'required', section: 'PROTOCOL §4.4' },
  { path: 'Encabezado.IdDoc.TipoPago', presence: 'required', section: 'PROTOCOL §4.4' },
  { path: 'Encabezado.IdDoc.IndicadorNotaCredito', presence: 'forbidden', section: 'PROTOCOL §4.4' },
];

export const ECF_31_RULES: RulesModule = {
  kind: '31',
  lineDefaults: { indicadorFacturacion: 1, indicadorBienoServicio: 1 },
  rules: [...ECF_COMMON_RULES, ...presenceRules(PRESENCE)],
};
