import { ECF_COMMON_RULES } from './ecf-common.rules';
import { indicadorFacturacionIs } from './ecf-type.rules';
import { presenceRules, type PresenceEntry } from './presence.rule';
import type { RulesModule } from './rule.types';

/** e-CF 43 — Comprobante para Gastos Menores: no buyer, exento lines. */
const PRESENCE: readonly PresenceEntry[] = [
  { path: 'Encabezado.IdDoc.FechaVencimientoSecuencia', presence: 'required', section: 'PROTOCOL §4.1' },
  { path: 'Encabezado.Comprador', presence: 'forbidden', section: 'PROTOCOL §4.1, §12' },
  { path: 'Encabezado.IdDoc.TipoIngresos', presence: 'forbidden', section: 'PROTOCOL §4.4' },
  { path: 'Encabezado.InformacionesAdicionales', presence: 'forbidden', section: 'PROTOCOL §4.5' },
  { path: 'Encabezado.Transporte', presence: 'forbidden', section: 'PROTOCOL §4.5' },
  { path: 'DescuentosORecargos', presence: 'forbidden', section: 'PROTOCOL §4.1' },
  { path: 'Encabezado.IdDoc.IndicadorNotaCredito', presence: 'forbidden', section: 'PROTOCOL §4.4' },
  { path: 'Encabezado.Totales.MontoGravadoTotal', presence: 'forbidden', section: 'PROTOCOL §4.5' },
  { path: 'Encabezado.Totales.TotalITBIS', presence: 'forbidden', section: 'PROTOCOL §4.5' },
];

export const ECF_43_RULES: RulesModule = {
  kind: '43',
  lineDefaults: { indicadorFacturacion: 4, indicadorBienoServicio: 1 },
  rules: [...ECF_COMMON_RULES, ...presenceRules(PRESENCE), indicadorFacturacionIs(4)],
};
