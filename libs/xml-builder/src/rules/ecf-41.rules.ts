import { ECF_COMMON_RULES } from './ecf-common.rules';
import { retencionItbis41 } from './ecf-type.rules';
import { presenceRules, type PresenceEntry } from './presence.rule';
import type { RulesModule } from './rule.types';

/** e-CF 41 — Comprobante de Compras: the buyer issues it for purchases from non-registered sellers. */
const PRESENCE: readonly PresenceEntry[] = [
  { path: 'Encabezado.Comprador', presence: 'required', section: 'PROTOCOL §4.1' },
  { path: 'Encabezado.Comprador.RNCComprador', presence: 'required', section: 'PROTOCOL §4.5' },
  { path: 'Encabezado.IdDoc.FechaVencimientoSecuencia', presence: 'required', section: 'PROTOCOL §4.1' },
  { path: 'Encabezado.IdDoc.TipoPago', presence: 'required', section: 'PROTOCOL §4.4' },
  { path: 'DetallesItems.Item[].Retencion', presence: 'required', section: 'PROTOCOL §4.5' },
  { path: 'Encabezado.IdDoc.TipoIngresos', presence: 'forbidden', section: 'PROTOCOL §4.4' },
  { path: 'Encabezado.InformacionesAdicionales', presence: 'forbidden', section: 'PROTOCOL §4.1' },
  { path: 'Encabezado.Transporte', presence: 'forbidden', section: 'PROTOCOL §4.1' },
  { path: 'Encabezado.IdDoc.IndicadorNotaCredito', presence: 'forbidden', section: 'PROTOCOL §4.4' },
];

export const ECF_41_RULES: RulesModule = {
  kind: '41',
  lineDefaults: { indicadorFacturacion: 1, indicadorBienoServicio: 1 },
  rules: [...ECF_COMMON_RULES, ...presenceRules(PRESENCE), retencionItbis41],
};
