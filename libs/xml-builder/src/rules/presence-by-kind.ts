import type { EcfType } from '../catalogue';
import type { PresenceEntry } from './presence.rule';

/**
 * What each e-CF type requires or forbids, beyond or in agreement with its XSD: one row per type,
 * read by the rules registry as the `section-required` / `section-forbidden` rules of that type.
 * Typed by the catalogue's e-CF types, so a regenerated catalogue with a new type does not compile
 * until its row is added here (docs/architecture/extending-the-catalogue.md).
 */
export const PRESENCE_BY_KIND: Readonly<Record<EcfType, readonly PresenceEntry[]>> = {
  // e-CF 31 — Factura de Crédito Fiscal Electrónica (B2B).
  '31': [
    { path: 'Encabezado.Comprador', presence: 'required', section: 'PROTOCOL §4.1' },
    { path: 'Encabezado.Comprador.RNCComprador', presence: 'required', section: 'PROTOCOL §4.5' },
    { path: 'Encabezado.IdDoc.FechaVencimientoSecuencia', presence: 'required', section: 'PROTOCOL §4.1' },
    { path: 'Encabezado.IdDoc.TipoIngresos', presence: 'required', section: 'PROTOCOL §4.4' },
    { path: 'Encabezado.IdDoc.TipoPago', presence: 'required', section: 'PROTOCOL §4.4' },
    { path: 'Encabezado.IdDoc.IndicadorNotaCredito', presence: 'forbidden', section: 'PROTOCOL §4.4' },
  ],
  // e-CF 32 — Factura de Consumo Electrónica; below DOP 250,000 it also travels as an RFCE (§5).
  '32': [
    { path: 'Encabezado.IdDoc.TipoIngresos', presence: 'required', section: 'PROTOCOL §4.4' },
    { path: 'Encabezado.IdDoc.TipoPago', presence: 'required', section: 'PROTOCOL §4.4' },
    { path: 'Encabezado.IdDoc.FechaVencimientoSecuencia', presence: 'forbidden', section: 'PROTOCOL §4.1' },
    { path: 'Encabezado.IdDoc.IndicadorNotaCredito', presence: 'forbidden', section: 'PROTOCOL §4.4' },
  ],
  // e-CF 33 — Nota de Débito Electrónica: references the invoice it increases.
  '33': [
    { path: 'InformacionReferencia', presence: 'required', section: 'PROTOCOL §4.1' },
    { path: 'Encabezado.IdDoc.FechaVencimientoSecuencia', presence: 'required', section: 'PROTOCOL §4.1' },
    { path: 'Encabezado.IdDoc.TipoIngresos', presence: 'required', section: 'PROTOCOL §4.4, §12' },
    { path: 'Encabezado.IdDoc.TipoPago', presence: 'required', section: 'PROTOCOL §4.4' },
    { path: 'Encabezado.IdDoc.IndicadorNotaCredito', presence: 'forbidden', section: 'PROTOCOL §4.4' },
  ],
  // e-CF 34 — Nota de Crédito Electrónica: references the invoice it reduces or cancels.
  '34': [
    { path: 'InformacionReferencia', presence: 'required', section: 'PROTOCOL §4.1' },
    { path: 'Encabezado.IdDoc.IndicadorNotaCredito', presence: 'required', section: 'PROTOCOL §4.4' },
    { path: 'Encabezado.IdDoc.TipoIngresos', presence: 'required', section: 'PROTOCOL §4.4, §12' },
    { path: 'Encabezado.IdDoc.TipoPago', presence: 'required', section: 'PROTOCOL §4.4' },
    { path: 'Encabezado.IdDoc.FechaVencimientoSecuencia', presence: 'forbidden', section: 'PROTOCOL §4.1' },
    { path: 'Encabezado.IdDoc.TablaFormasPago', presence: 'forbidden', section: 'PROTOCOL §4.5' },
  ],
  // e-CF 41 — Comprobante de Compras: the buyer issues it for purchases from non-registered sellers.
  '41': [
    { path: 'Encabezado.Comprador', presence: 'required', section: 'PROTOCOL §4.1' },
    { path: 'Encabezado.Comprador.RNCComprador', presence: 'required', section: 'PROTOCOL §4.5' },
    { path: 'Encabezado.IdDoc.FechaVencimientoSecuencia', presence: 'required', section: 'PROTOCOL §4.1' },
    { path: 'Encabezado.IdDoc.TipoPago', presence: 'required', section: 'PROTOCOL §4.4' },
    { path: 'DetallesItems.Item[].Retencion', presence: 'required', section: 'PROTOCOL §4.5' },
    { path: 'Encabezado.IdDoc.TipoIngresos', presence: 'forbidden', section: 'PROTOCOL §4.4' },
    { path: 'Encabezado.InformacionesAdicionales', presence: 'forbidden', section: 'PROTOCOL §4.1' },
    { path: 'Encabezado.Transporte', presence: 'forbidden', section: 'PROTOCOL §4.1' },
    { path: 'Encabezado.IdDoc.IndicadorNotaCredito', presence: 'forbidden', section: 'PROTOCOL §4.4' },
  ],
  // e-CF 43 — Comprobante para Gastos Menores: no buyer, exento lines.
  '43': [
    { path: 'Encabezado.IdDoc.FechaVencimientoSecuencia', presence: 'required', section: 'PROTOCOL §4.1' },
    { path: 'Encabezado.Comprador', presence: 'forbidden', section: 'PROTOCOL §4.1, §12' },
    { path: 'Encabezado.IdDoc.TipoIngresos', presence: 'forbidden', section: 'PROTOCOL §4.4' },
    { path: 'Encabezado.InformacionesAdicionales', presence: 'forbidden', section: 'PROTOCOL §4.5' },
    { path: 'Encabezado.Transporte', presence: 'forbidden', section: 'PROTOCOL §4.5' },
    { path: 'DescuentosORecargos', presence: 'forbidden', section: 'PROTOCOL §4.1' },
    { path: 'Encabezado.IdDoc.IndicadorNotaCredito', presence: 'forbidden', section: 'PROTOCOL §4.4' },
    { path: 'Encabezado.Totales.MontoGravadoTotal', presence: 'forbidden', section: 'PROTOCOL §4.5' },
    { path: 'Encabezado.Totales.TotalITBIS', presence: 'forbidden', section: 'PROTOCOL §4.5' },
  ],
  // e-CF 44 — Comprobante para Regímenes Especiales: exento lines.
  '44': [
    { path: 'Encabezado.Comprador', presence: 'required', section: 'PROTOCOL §4.1' },
    { path: 'Encabezado.IdDoc.FechaVencimientoSecuencia', presence: 'required', section: 'PROTOCOL §4.1' },
    { path: 'Encabezado.IdDoc.TipoIngresos', presence: 'required', section: 'PROTOCOL §4.4' },
    { path: 'Encabezado.IdDoc.TipoPago', presence: 'required', section: 'PROTOCOL §4.4' },
    { path: 'Encabezado.IdDoc.IndicadorNotaCredito', presence: 'forbidden', section: 'PROTOCOL §4.4' },
  ],
  // e-CF 45 — Comprobante Gubernamental: like 31, the buyer is a government entity.
  '45': [
    { path: 'Encabezado.Comprador', presence: 'required', section: 'PROTOCOL §4.1' },
    { path: 'Encabezado.Comprador.RNCComprador', presence: 'required', section: 'PROTOCOL §4.1' },
    { path: 'Encabezado.IdDoc.FechaVencimientoSecuencia', presence: 'required', section: 'PROTOCOL §4.1' },
    { path: 'Encabezado.IdDoc.TipoIngresos', presence: 'required', section: 'PROTOCOL §4.4' },
    { path: 'Encabezado.IdDoc.TipoPago', presence: 'required', section: 'PROTOCOL §4.4' },
    { path: 'Encabezado.IdDoc.IndicadorNotaCredito', presence: 'forbidden', section: 'PROTOCOL §4.4' },
  ],
  // e-CF 46 — Comprobante para Exportaciones: ITBIS 0% lines.
  '46': [
    { path: 'Encabezado.Comprador', presence: 'required', section: 'PROTOCOL §4.1' },
    { path: 'Encabezado.IdDoc.FechaVencimientoSecuencia', presence: 'required', section: 'PROTOCOL §4.1' },
    { path: 'Encabezado.IdDoc.TipoIngresos', presence: 'required', section: 'PROTOCOL §4.4' },
    { path: 'Encabezado.IdDoc.TipoPago', presence: 'required', section: 'PROTOCOL §4.4' },
    { path: 'Encabezado.IdDoc.IndicadorNotaCredito', presence: 'forbidden', section: 'PROTOCOL §4.4' },
  ],
  // e-CF 47 — Comprobante para Pagos al Exterior: exento service lines with ISR withholding.
  '47': [
    { path: 'Encabezado.IdDoc.FechaVencimientoSecuencia', presence: 'required', section: 'PROTOCOL §4.1' },
    { path: 'DetallesItems.Item[].Retencion', presence: 'required', section: 'PROTOCOL §4.5' },
    { path: 'Encabezado.IdDoc.TipoIngresos', presence: 'forbidden', section: 'PROTOCOL §4.4' },
    { path: 'DescuentosORecargos', presence: 'forbidden', section: 'PROTOCOL §4.1' },
    { path: 'Encabezado.Comprador.RNCComprador', presence: 'forbidden', section: 'PROTOCOL §4.1' },
    { path: 'Encabezado.IdDoc.IndicadorNotaCredito', presence: 'forbidden', section: 'PROTOCOL §4.4' },
  ],
};
