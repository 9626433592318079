import { ECF_COMMON_RULES } from './ecf-common.rules';
import { indicadorFacturacionIs, servicioEn47 } from './ecf-type.rules';
import { presenceRules, type PresenceEntry } from './presence.rule';
import type { RulesModule } from './rule.types';

/** e-CF 47 — Comprobante para Pagos al Exterior: exento service lines with ISR withholding. */
const PRESENCE: readonly PresenceEntry[] = [
  { path: 'Encabezado.IdDoc.FechaVencimientoSecuencia', presence: 'required', section: 'PROTOCOL §4.1' },
  { path: 'DetallesItems.Item[].Retencion', presence: 'required', section: 'PROTOCOL §4.5' },
  { path: 'Encabezado.IdDoc.TipoIngresos', presence: 'forbidden', section: 'PROTOCOL §4.4' },
  { path: 'DescuentosORecargos', presence: 'forbidden', section: 'PROTOCOL §4.1' },
  { path: 'Encabezado.Comprador.RNCComprador', presence: 'forbidden', section: 'PROTOCOL §4.1' },
  { path: 'Encabezado.IdDoc.IndicadorNotaCredito', presence: 'forbidden', section: 'PROTOCOL §4.4' },
];

export const ECF_47_RULES: RulesModule = {
  kind: '47',
  lineDefaults: { indicadorFacturacion: 4, indicadorBienoServicio: 2 },
  rules: [...ECF_COMMON_RULES, ...presenceRules(PRESENCE), indicadorFacturacionIs(4), servicioEn47],
};
