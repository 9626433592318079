import { readFileSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import { ITBIS_RATE_PERCENT } from '@app/common';
import { ECF_TYPE_NAMES, type RiDocument, type RiItem } from './ri-document';
import type { QrMatrix } from './ri-qr';
import { cents, centsToAmount, formatAmount, lineItbis, printable } from './ri-text';
import {
  CODIGO_MODIFICACION,
  PROVINCIA_MUNICIPIO,
  TIPO_IMPUESTO,
  TIPO_MONEDA,
  UNIDAD_MEDIDA,
} from './tables/dgii-tables.generated';

export const RI_FORMATS = ['letter', 'a4', '80mm'] as const;
export type RiFormat = (typeof RI_FORMATS)[number];

const MM = 72 / 25.4;

/** Page geometry of each format (points). Roll paper grows with its content up to `maxHeight`. */
interface Geometry {
  width: number;
  maxHeight: number;
  margin: number;
  roll: boolean;
}

const GEOMETRY: Readonly<Record<RiFormat, Geometry>> = {
  letter: { width: 612, maxHeight: 792, margin: 12 * MM, roll: false },
  a4: { width: 595.28, maxHeight: 841.89, margin: 12 * MM, roll: false },
  // A roll page is cut at 600 mm: header and QR block repeat on each piece (PROTOCOL §9.2).
  '80mm': { width: 80 * MM, maxHeight: 600 * MM, margin: 4 * MM, roll: true },
};

/** PROTOCOL §9.1: at least 22 × 22 mm with a 3 mm quiet zone, ≥ 2 cm from the paper edge. */
export const QR_SIDE_MM = 25;
const QR_SIDE = QR_SIDE_MM * MM;
const QR_QUIET = 3 * MM;
const QR_EDGE = 20 * MM;

// DejaVu Sans (dejavu-fonts-ttf, free licence): covers Latin-1, €, and every letter DGII's text
// fields allow; embedded (subset) so every viewer and printer draws the same glyphs.
type FontSource = PDFKit.Mixins.PDFFontSource;
let fonts: { regular: FontSource; bold: FontSource } | undefined;

/**
 * The two faces, parsed once per thread: parsing a TrueType file costs ~40 ms, most of a 10-line
 * RI. pdfkit accepts a parsed (fontkit) font in place of the file and keeps each document's
 * subset apart, so sharing it does not change the bytes.
 */
function fontFaces(): { regular: FontSource; bold: FontSource } {
  if (fonts) return fonts;
  const parse = (file: string): FontSource => {
    const probe = new PDFDocument({ autoFirstPage: false });
    probe.registerFont('F', readFileSync(require.resolve(`dejavu-fonts-ttf/ttf/${file}`)));
    probe.font('F');
    return (probe as unknown as { _font: { font: FontSource } })._font.font;
  };
  fonts = { regular: parse('DejaVuSans.ttf'), bold: parse('DejaVuSans-Bold.ttf') };
  return fonts;
}

const TIPO_PAGO: Readonly<Record<string, string>> = { '1': 'Contado', '2': 'Crédito', '3': 'Gratuito' };

/** `dd-MM-yyyy HH:mm:ss` Santo Domingo time (GMT-4, no DST; PROTOCOL §3.3) → the instant. */
export function fechaHoraFirmaInstant(value: string): Date {
  const m = /^(\d{1,2})-(\d{1,2})-(\d{4}) (\d{2}):(\d{2}):(\d{2})$/.exec(value);
  if (!m) return new Date(0);
  const [, d, mo, y, h, mi, s] = m.map(Number);
  return new Date(Date.UTC(y, mo - 1, d, h + 4, mi, s));
}

function place(code: string | undefined): string | undefined {
  return code ? (PROVINCIA_MUNICIPIO[code] ?? code) : undefined;
}

function unit(code: string | undefined): string {
  return code ? (UNIDAD_MEDIDA[code] ?? code) : '';
}

function taxName(code: string): string {
  const name = TIPO_IMPUESTO[code] ?? code;
  const n = Number(code);
  // Formato tabla I: 006–022 ISC específico, 023–039 ISC ad-valorem (same product names).
  if (n >= 6 && n <= 22) return `ISC específico ${name}`;
  if (n >= 23 && n <= 39) return `ISC ad-valorem ${name}`;
  return name;
}

interface Line {
  label: string;
  value: string;
  bold?: boolean;
}

interface Row {
  item: RiItem;
  height: number;
}

interface Page {
  rows: Row[];
  totals: boolean;
  height: number;
}

export interface RenderInput {
  doc: RiDocument;
  securityCode: string;
  qrUrl: string;
  qr: QrMatrix;
  format: RiFormat;
}

type Doc = PDFKit.PDFDocument;

const FONT = 7;
/** Header text size on letter/A4. */
const HEAD = 7.5;
const LEAD = 1.25;

class Renderer {
  private readonly g: Geometry;
  private readonly d: RiDocument;
  private readonly includeItbis: boolean;
  private readonly pdf: Doc;
  private readonly glyphs = new Map<number, boolean>();
  private headerHeight = 0;
  private footerHeight = 0;
  private totalsHeight = 0;
  private totalsLines: Line[] = [];
  private leftTotals: Line[] = [];

  constructor(private readonly input: RenderInput) {
    this.g = GEOMETRY[input.format];
    this.d = input.doc;
    this.includeItbis = this.d.indicadorMontoGravado === '1';
    const signed = fechaHoraFirmaInstant(this.d.fechaHoraFirma);
    const typeName = ECF_TYPE_NAMES[this.d.tipo];
    this.pdf = new PDFDocument({
      autoFirstPage: false,
      compress: true,
      // Determinism (issue 12 §3): the dates come from FechaHoraFirma and pdfkit derives /ID
      // from this info dictionary, so the same signed XML gives the same bytes.
      info: {
        Title: `${typeName} ${this.d.encf}`,
        Author: this.d.emisor.razonSocial,
        Subject: `Representación Impresa ${this.d.encf} (${input.securityCode})`,
        Creator: 'fiscaliacore',
        Producer: 'fiscaliacore',
        CreationDate: signed,
        ModDate: signed,
      },
      lang: 'es-DO',
    });
    const f = fontFaces();
    this.pdf.registerFont('R', f.regular);
    this.pdf.registerFont('B', f.bold);
    this.pdf.font('R');
  }

  private hasGlyph = (cp: number): boolean => {
    let known = this.glyphs.get(cp);
    if (known === undefined) {
      // pdfkit exposes the fontkit font of the current face; both faces cover the same set.
      const face = (this.pdf as unknown as { _font: { font: { hasGlyphForCodePoint(c: number): boolean } } })
        ._font;
      known = face.font.hasGlyphForCodePoint(cp);
      this.glyphs.set(cp, known);
    }
    return known;
  };

  private t(value: string | undefined): string {
    return printable(value, this.hasGlyph);
  }

  private get contentWidth(): number {
    return this.g.width - 2 * this.g.margin;
  }

  // ---- content -------------------------------------------------------------------------------

  private issuerLines(): Line[] {
    const e = this.d.emisor;
    const lines: Line[] = [];
    if (e.nombreComercial) lines.push({ label: '', value: e.nombreComercial, bold: true });
    lines.push({ label: '', value: e.razonSocial, bold: !e.nombreComercial });
    if (e.sucursal) lines.push({ label: 'Sucursal', value: e.sucursal });
    lines.push({ label: 'RNC', value: e.rnc });
    if (e.direccion) lines.push({ label: 'Dirección', value: e.direccion });
    const municipio = place(e.municipio);
    const provincia = place(e.provincia);
    if (municipio) lines.push({ label: 'Municipio', value: municipio });
    if (provincia) lines.push({ label: 'Provincia', value: provincia });
    if (e.telefonos.length > 0) lines.push({ label: 'Teléfono', value: e.telefonos.join(', ') });
    if (e.correo) lines.push({ label: 'Correo', value: e.correo });
    lines.push({ label: 'Fecha de emisión', value: e.fechaEmision });
    return lines;
  }

  private documentLines(): Line[] {
    const d = this.d;
    const lines: Line[] = [
      { label: '', value: ECF_TYPE_NAMES[d.tipo], bold: true },
      { label: 'e-NCF', value: d.encf, bold: true },
    ];
    // PROTOCOL §9.2: no FechaVencimientoSecuencia on 32 and 34.
    if (d.fechaVencimientoSecuencia && d.tipo !== '32' && d.tipo !== '34') {
      lines.push({ label: 'Fecha de vencimiento', value: d.fechaVencimientoSecuencia });
    }
    const ref = d.referencia;
    if (ref) {
      lines.push({ label: 'e-NCF modificado', value: ref.ncfModificado });
      if (ref.fechaNcfModificado)
        lines.push({ label: 'Fecha NCF modificado', value: ref.fechaNcfModificado });
      if (ref.codigoModificacion) {
        lines.push({
          label: 'Código de modificación',
          value: `${ref.codigoModificacion} - ${CODIGO_MODIFICACION[ref.codigoModificacion] ?? ''}`,
        });
      }
      if (ref.razonModificacion) lines.push({ label: 'Razón', value: ref.razonModificacion });
    }
    if (d.tipoPago) {
      const pago = TIPO_PAGO[d.tipoPago] ?? d.tipoPago;
      lines.push({
        label: 'Tipo de pago',
        value: d.fechaLimitePago ? `${pago}, vence ${d.fechaLimitePago}` : pago,
      });
    }
    if (d.indicadorEnvioDiferido === '1') lines.push({ label: '', value: 'Envío diferido autorizado' });
    return lines;
  }

  private buyerLines(): Line[] {
    const c = this.d.comprador;
    if (!c) return [];
    const lines: Line[] = [];
    // A type 41 is issued by the buyer: its Comprador block holds the seller (PROTOCOL §4.5).
    const who = this.d.tipo === '41' ? 'proveedor' : 'cliente';
    if (c.razonSocial) lines.push({ label: `Razón social ${who}`, value: c.razonSocial });
    if (c.rnc) lines.push({ label: `${c.rnc.length === 11 ? 'Cédula' : 'RNC'} ${who}`, value: c.rnc });
    if (c.identificadorExtranjero)
      lines.push({ label: 'Identificador extranjero', value: c.identificadorExtranjero });
    if (c.direccion) lines.push({ label: `Dirección ${who}`, value: c.direccion });
    return lines;
  }

  private money(value: string | undefined): string {
    return `RD$ ${formatAmount(value)}`;
  }

  private buildTotals(): void {
    const t = this.d.totales;
    const out: Line[] = [];
    const add = (label: string, key: string, bold = false): void => {
      if (t[key] !== undefined) out.push({ label, value: this.money(t[key]), bold });
    };
    add('Subtotal gravado ITBIS 18%', 'MontoGravadoI1');
    add('Subtotal gravado ITBIS 16%', 'MontoGravadoI2');
    add('Subtotal gravado ITBIS 0%', 'MontoGravadoI3');
    add('Subtotal exento', 'MontoExento');
    add('ITBIS 18%', 'TotalITBIS1');
    add('ITBIS 16%', 'TotalITBIS2');
    add('ITBIS 0%', 'TotalITBIS3');
    add('Total ITBIS', 'TotalITBIS');
    for (const tax of this.d.impuestosAdicionales) {
      const amount = tax.especifico ?? tax.advalorem ?? tax.otros;
      const rate = tax.tasa ? ` ${tax.tasa}%` : '';
      out.push({ label: `${taxName(tax.tipo)}${rate}`, value: this.money(amount) });
    }
    add('Total impuestos adicionales', 'MontoImpuestoAdicional');
    add('Monto no facturable', 'MontoNoFacturable');
    add('TOTAL', 'MontoTotal', true);
    add('ITBIS retenido', 'TotalITBISRetenido');
    add('ISR retenido', 'TotalISRRetencion');
    add('ITBIS percibido', 'TotalITBISPercepcion');
    add('ISR percibido', 'TotalISRPercepcion');
    add('Monto del período', 'MontoPeriodo');
    add('Saldo anterior', 'SaldoAnterior');
    add('Avance de pago', 'MontoAvancePago');
    add('Valor a pagar', 'ValorPagar', true);
    const o = this.d.otraMoneda;
    if (o) {
      const code = o.tipoMoneda;
      const om = o.totales;
      const addO = (label: string, key: string, bold = false): void => {
        if (om[key] !== undefined)
          out.push({ label: `${label} (${code})`, value: `${formatAmount(om[key])} ${code}`, bold });
      };
      // The code alone: DGII's names ("DOLAR ESTADOUNIDENSE") do not fit a roll's value column.
      out.push({ label: TIPO_MONEDA[code] ? `Moneda (${TIPO_MONEDA[code]})` : 'Moneda', value: code });
      if (o.tipoCambio) out.push({ label: 'Tasa de cambio', value: formatAmount(o.tipoCambio, 4) });
      addO('Gravado', 'MontoGravadoTotalOtraMoneda');
      addO('Exento', 'MontoExentoOtraMoneda');
      addO('Total ITBIS', 'TotalITBISOtraMoneda');
      addO('Impuestos adicionales', 'MontoImpuestoAdicionalOtraMoneda');
      addO('TOTAL', 'MontoTotalOtraMoneda', true);
    }
    this.totalsLines = out;
    this.leftTotals = this.d.ajustes.map((a) => {
      const kind = a.tipo === 'R' ? 'Recargo' : 'Descuento';
      const pct = a.tipoValor === '%' && a.valor ? ` ${a.valor}%` : '';
      const other = a.montoOtraMoneda && o ? ` (${formatAmount(a.montoOtraMoneda)} ${o.tipoMoneda})` : '';
      return {
        label: `${kind} global${a.descripcion ? `: ${a.descripcion}` : ''}${pct}`,
        value: `${this.money(a.monto)}${other}`,
      };
    });
  }

  // ---- measuring -------------------------------------------------------------------------------

  private lineHeight(size = FONT): number {
    return size * LEAD;
  }

  private textHeight(text: string, width: number, size = FONT, bold = false): number {
    this.pdf.font(bold ? 'B' : 'R').fontSize(size);
    const h = this.pdf.heightOfString(text, { width, lineGap: size * (LEAD - 1) });
    this.pdf.font('R');
    return h;
  }

  private blockHeight(lines: Line[], width: number, size: number): number {
    return lines.reduce(
      (sum, l) => sum + this.textHeight(this.lineText(l), width, l.bold ? size + 1 : size, l.bold),
      0,
    );
  }

  private lineText(l: Line): string {
    return this.t(l.label ? `${l.label}: ${l.value}` : l.value);
  }

  private columns(): { key: string; title: string; width: number; align: 'left' | 'right' | 'center' }[] {
    const w = this.contentWidth;
    const spec: [string, string, number, 'left' | 'right' | 'center'][] = [
      ['cant', 'Cantidad', 0.08, 'right'],
      ['desc', 'Descripción', 0.25, 'left'],
      ['unit', 'Unidad', 0.07, 'left'],
      ['price', 'Precio', 0.1, 'right'],
      ['isc', 'Imp.', 0.07, 'center'],
      ['rate', 'Tasa', 0.04, 'right'],
      ['itbis', 'ITBIS', 0.09, 'right'],
      ['disc', 'Descuento', 0.09, 'right'],
      ['sur', 'Recargo', 0.09, 'right'],
      ['value', 'Valor', 0.12, 'right'],
    ];
    return spec.map(([key, title, share, align]) => ({ key, title, width: w * share, align }));
  }

  private itemDescription(item: RiItem): string {
    let s = item.nombre;
    if (item.gradosAlcohol) s += ` (${item.gradosAlcohol}% alc.)`;
    if (item.precioUnitarioReferencia) s += ` PVP ${formatAmount(item.precioUnitarioReferencia)}`;
    return this.t(s);
  }

  private itemCells(item: RiItem): Record<string, string> {
    const exempt = item.indicadorFacturacion === '4';
    const rate = ITBIS_RATE_PERCENT[Number(item.indicadorFacturacion)];
    const other =
      this.d.otraMoneda && item.montoOtraMoneda
        ? `\n${formatAmount(item.montoOtraMoneda)} ${this.d.otraMoneda.tipoMoneda}`
        : '';
    return {
      // PROTOCOL §9.2: an "E" before the quantity of an exempt item.
      cant: `${exempt ? 'E ' : ''}${item.cantidad}`,
      desc: this.itemDescription(item),
      unit: unit(item.unidadMedida),
      price: formatAmount(item.precio.replace(/(\.\d\d\d*?)0+$/, '$1')),
      isc: item.impuestos.join(' '),
      rate: exempt || rate === undefined ? 'E' : `${rate}%`,
      itbis: exempt || rate === undefined ? '' : formatAmount(lineItbis(item.monto, rate, this.includeItbis)),
      disc: item.descuento ? formatAmount(item.descuento) : '',
      sur: item.recargo ? formatAmount(item.recargo) : '',
      value: `${formatAmount(item.monto)}${other}`,
    };
  }

  /** Roll paper: the tax and adjustment columns of a line, on one line under its description. */
  private rollDetail(cells: Record<string, string>): string {
    const parts = [cells.itbis ? `ITBIS ${cells.rate}: ${cells.itbis}` : 'Exento'];
    if (cells.isc) parts.push(`Imp. ${cells.isc}`);
    if (cells.disc) parts.push(`Desc. ${cells.disc}`);
    if (cells.sur) parts.push(`Rec. ${cells.sur}`);
    return parts.join('  ');
  }

  private rowHeight(item: RiItem): number {
    if (this.g.roll) {
      const w = this.contentWidth;
      return this.textHeight(this.itemDescription(item), w, FONT) + this.lineHeight() * 2 + 3;
    }
    const cells = this.itemCells(item);
    this.pdf.font('R').fontSize(FONT);
    let h = this.lineHeight();
    for (const c of this.columns()) {
      const text = cells[c.key];
      const lines = text.split('\n');
      // Measuring a wrapped height is costly: only cells wider than their column need it.
      const fits = lines.every((l) => this.pdf.widthOfString(l) <= c.width - 4);
      h = Math.max(h, fits ? lines.length * this.lineHeight() : this.textHeight(text, c.width - 4, FONT));
    }
    return h + 2;
  }

  private measure(): void {
    this.buildTotals();
    const w = this.contentWidth;
    if (this.g.roll) {
      this.headerHeight =
        this.g.margin +
        this.blockHeight(this.issuerLines(), w, 7) +
        4 +
        this.blockHeight(this.documentLines(), w, 7) +
        4 +
        this.blockHeight(this.buyerLines(), w, 7) +
        4 +
        this.lineHeight() +
        4;
      this.totalsHeight = 4 + (this.leftTotals.length + this.totalsLines.length) * this.lineHeight(7.5) + 6;
      // Code, date, page number, and room for a two-line page subtotal.
      this.footerHeight = QR_QUIET + QR_SIDE + QR_QUIET + 5 * this.lineHeight(7) + this.g.margin;
    } else {
      const half = w / 2 - 6;
      const top = Math.max(
        this.blockHeight(this.issuerLines(), half, HEAD),
        this.blockHeight(this.documentLines(), half, HEAD),
      );
      this.headerHeight =
        this.g.margin + top + 8 + this.blockHeight(this.buyerLines(), w, HEAD) + 6 + this.lineHeight() + 10;
      const leftH = this.blockHeight(this.leftTotals, half, 7.5);
      this.totalsHeight = 6 + Math.max(leftH, this.totalsLines.length * this.lineHeight(7.5)) + 6;
      this.footerHeight = QR_EDGE + 2 * this.lineHeight(7) + QR_QUIET + QR_SIDE + QR_QUIET;
    }
  }

  private paginate(): Page[] {
    const body = this.g.maxHeight - this.headerHeight - this.footerHeight;
    const pages: Page[] = [];
    let rows: Row[] = [];
    let used = 0;
    for (const item of this.d.items) {
      const h = this.rowHeight(item);
      if (used + h > body && rows.length > 0) {
        pages.push({ rows, totals: false, height: this.g.maxHeight });
        rows = [];
        used = 0;
      }
      rows.push({ item, height: h });
      used += h;
    }
    if (used + this.totalsHeight > body && rows.length > 0) {
      // The totals go to a new page with the last few lines, so no page is totals alone.
      const carried = rows.splice(Math.max(1, rows.length - 3));
      pages.push({ rows, totals: false, height: this.g.maxHeight });
      rows = carried;
      used = carried.reduce((sum, r) => sum + r.height, 0);
    }
    pages.push({ rows, totals: true, height: this.g.maxHeight });
    if (this.g.roll) {
      // The last piece of roll paper is as long as what it holds.
      const last = pages[pages.length - 1];
      last.height = this.headerHeight + used + this.totalsHeight + this.footerHeight;
      if (pages.length > 1) {
        for (const p of pages.slice(0, -1)) {
          p.height = this.headerHeight + p.rows.reduce((s, r) => s + r.height, 0) + this.footerHeight;
        }
      }
    }
    return pages;
  }

  // ---- drawing ---------------------------------------------------------------------------------

  private drawLines(
    lines: Line[],
    x: number,
    y: number,
    width: number,
    size: number,
    align: 'left' | 'right' = 'left',
  ): number {
    for (const l of lines) {
      const s = l.bold ? size + 1 : size;
      this.pdf.font(l.bold ? 'B' : 'R').fontSize(s);
      const text = this.lineText(l);
      this.pdf.text(text, x, y, { width, align, lineGap: s * (LEAD - 1) });
      y += this.pdf.heightOfString(text, { width, lineGap: s * (LEAD - 1) });
    }
    this.pdf.font('R');
    return y;
  }

  private drawHeader(): number {
    const m = this.g.margin;
    const w = this.contentWidth;
    if (this.g.roll) {
      let y = m;
      y = this.drawLines(this.issuerLines(), m, y, w, 7, 'left') + 4;
      this.rule(y - 2);
      y = this.drawLines(this.documentLines(), m, y, w, 7, 'left') + 4;
      const buyer = this.buyerLines();
      if (buyer.length > 0) {
        this.rule(y - 2);
        y = this.drawLines(buyer, m, y, w, 7, 'left');
      }
      y += 4;
      this.rule(y - 2);
      this.pdf
        .font('B')
        .fontSize(FONT)
        .text('Cantidad / Descripción / ITBIS', m, y, { width: w, lineBreak: false });
      this.pdf.text('Valor', m, y, { width: w, align: 'right', lineBreak: false });
      this.pdf.font('R');
      y += this.lineHeight() + 2;
      this.rule(y - 1);
      return this.headerHeight;
    }
    const half = w / 2 - 6;
    // PROTOCOL §9.2: issuer upper left, document type and e-NCF upper right.
    const yl = this.drawLines(this.issuerLines(), m, m, half, HEAD);
    const yr = this.drawLines(this.documentLines(), m + w / 2 + 6, m, half, HEAD, 'right');
    let y = Math.max(yl, yr) + 4;
    this.rule(y);
    y = this.drawLines(this.buyerLines(), m, y + 4, w, HEAD) + 6;
    const cols = this.columns();
    const th = this.headerHeight - y - 4;
    this.pdf.rect(m, y, w, th).fillColor('#e6e6e6').fill().fillColor('black');
    let x = m;
    this.pdf.font('B').fontSize(FONT);
    for (const c of cols) {
      this.pdf.text(c.title, x + 2, y + 3, { width: c.width - 4, align: c.align, lineBreak: false });
      x += c.width;
    }
    this.pdf.font('R');
    return this.headerHeight;
  }

  private rule(y: number): void {
    this.pdf
      .moveTo(this.g.margin, y)
      .lineTo(this.g.width - this.g.margin, y)
      .lineWidth(0.5)
      .strokeColor('#777777')
      .stroke()
      .strokeColor('black');
  }

  private drawRow(row: Row, y: number): void {
    const m = this.g.margin;
    const cells = this.itemCells(row.item);
    this.pdf.fontSize(FONT);
    if (this.g.roll) {
      const w = this.contentWidth;
      const [value, valueOther] = cells.value.split('\n');
      this.pdf.text(`${cells.cant} ${cells.unit} x ${cells.price}`, m, y + 1, {
        width: w * 0.65,
        lineBreak: false,
      });
      this.pdf.text(value, m + w * 0.65, y + 1, { width: w * 0.35, align: 'right', lineBreak: false });
      let yy = y + 1 + this.lineHeight();
      this.pdf.text(cells.desc, m, yy, { width: w, lineGap: FONT * (LEAD - 1) });
      yy += this.textHeight(cells.desc, w, FONT);
      this.pdf
        .fillColor('#333333')
        .text(this.rollDetail(cells), m, yy, { width: w * 0.65, lineBreak: false });
      if (valueOther)
        this.pdf.text(valueOther, m + w * 0.65, yy, { width: w * 0.35, align: 'right', lineBreak: false });
      this.pdf.fillColor('black');
      return;
    }
    let x = m;
    for (const c of this.columns()) {
      this.pdf.text(cells[c.key], x + 2, y + 1, {
        width: c.width - 4,
        align: c.align,
        lineGap: FONT * (LEAD - 1),
      });
      x += c.width;
    }
    this.pdf
      .moveTo(m, y + row.height)
      .lineTo(m + this.contentWidth, y + row.height)
      .lineWidth(0.25)
      .strokeColor('#bbbbbb')
      .stroke()
      .strokeColor('black');
  }

  private drawTotals(y: number): void {
    const m = this.g.margin;
    const w = this.contentWidth;
    this.rule(y + 2);
    y += 6;
    const size = 7.5;
    const lh = this.lineHeight(size);
    if (this.g.roll) {
      for (const l of [...this.leftTotals, ...this.totalsLines]) {
        this.pdf.font(l.bold ? 'B' : 'R').fontSize(size);
        this.pdf.text(this.t(l.label), m, y, { width: w * 0.6, lineBreak: false, ellipsis: true });
        this.pdf.text(this.t(l.value), m + w * 0.5, y, { width: w * 0.5, align: 'right', lineBreak: false });
        y += lh;
      }
      this.pdf.font('R');
      return;
    }
    const half = w / 2 - 6;
    this.drawLines(this.leftTotals, m, y, half, size);
    const x = m + w / 2 + 6;
    for (const l of this.totalsLines) {
      this.pdf.font(l.bold ? 'B' : 'R').fontSize(size);
      this.pdf.text(this.t(l.label), x, y, { width: half * 0.6, lineBreak: false });
      this.pdf.text(this.t(l.value), x + half * 0.45, y, {
        width: half * 0.55,
        align: 'right',
        lineBreak: false,
      });
      y += lh;
    }
    this.pdf.font('R');
  }

  private drawQr(x: number, y: number): void {
    const { qr } = this.input;
    const cell = QR_SIDE / qr.size;
    for (let r = 0; r < qr.size; r++) {
      let c = 0;
      while (c < qr.size) {
        if (!qr.dark(r, c)) {
          c++;
          continue;
        }
        const start = c;
        while (c < qr.size && qr.dark(r, c)) c++;
        this.pdf.rect(x + start * cell, y + r * cell, (c - start) * cell, cell);
      }
    }
    this.pdf.fillColor('black').fill();
  }

  private drawFooter(page: Page, index: number, count: number): void {
    const m = this.g.margin;
    const size = 7;
    const lh = this.lineHeight(size);
    const code = `Código de Seguridad: ${this.input.securityCode}`;
    const fecha = `Fecha de Firma Digital: ${this.d.fechaHoraFirma}`;
    const subtotal = count > 1 ? this.pageSubtotal(page) : undefined;
    if (this.g.roll) {
      // PROTOCOL §9.1: bottom centre on handheld printers.
      const x = (this.g.width - QR_SIDE) / 2;
      let y = page.height - this.footerHeight + QR_QUIET;
      this.drawQr(x, y);
      y += QR_SIDE + QR_QUIET;
      this.pdf
        .font('B')
        .fontSize(size)
        .text(code, m, y, { width: this.contentWidth, align: 'center', lineBreak: false });
      this.pdf
        .font('R')
        .text(fecha, m, y + lh, { width: this.contentWidth, align: 'center', lineBreak: false });
      this.pdf.text(`Página ${index + 1} de ${count}`, m, y + 2 * lh, {
        width: this.contentWidth,
        align: 'center',
        lineBreak: false,
      });
      if (subtotal) this.pdf.text(subtotal, m, y + 3 * lh, { width: this.contentWidth, align: 'center' });
      return;
    }
    // PROTOCOL §9.1: lower left, ≥ 2 cm from the paper edges, with a 3 mm quiet zone.
    const textTop = page.height - QR_EDGE - 2 * lh;
    const qrTop = textTop - QR_QUIET - QR_SIDE;
    this.drawQr(QR_EDGE, qrTop);
    this.pdf.font('B').fontSize(size).text(code, QR_EDGE, textTop, { lineBreak: false });
    this.pdf.font('R').text(fecha, QR_EDGE, textTop + lh, { lineBreak: false });
    const x = QR_EDGE + QR_SIDE + QR_QUIET + 8 * MM;
    const right = this.g.width - m - x;
    if (subtotal) this.pdf.text(subtotal, x, qrTop + QR_SIDE / 2 - lh, { width: right, align: 'right' });
    this.pdf.text(`Página ${index + 1} de ${count}`, x, textTop + lh, {
      width: right,
      align: 'right',
      lineBreak: false,
    });
  }

  /** PROTOCOL §9.2: subtotals of the page's lines when the RI has more than one page. */
  private pageSubtotal(page: Page): string {
    let gravado = 0n;
    let exento = 0n;
    for (const r of page.rows) {
      if (r.item.indicadorFacturacion === '4') exento += cents(r.item.monto);
      else gravado += cents(r.item.monto);
    }
    const lines = page.rows.length;
    if (lines === 0) return '';
    const first = page.rows[0].item.numeroLinea;
    const last = page.rows[lines - 1].item.numeroLinea;
    return `Subtotal página (líneas ${first}-${last}): gravado ${formatAmount(centsToAmount(gravado))}, exento ${formatAmount(centsToAmount(exento))}, valor ${formatAmount(centsToAmount(gravado + exento))}`;
  }

  async render(): Promise<Buffer> {
    const chunks: Buffer[] = [];
    const done = new Promise<Buffer>((resolve, reject) => {
      this.pdf.on('data', (c: Buffer) => chunks.push(c));
      this.pdf.on('end', () => resolve(Buffer.concat(chunks)));
      this.pdf.on('error', reject);
    });
    this.measure();
    const pages = this.paginate();
    for (const [i, page] of pages.entries()) {
      this.pdf.addPage({ size: [this.g.width, page.height], margin: 0 });
      let y = this.drawHeader();
      for (const row of page.rows) {
        this.drawRow(row, y);
        y += row.height;
      }
      if (page.totals) this.drawTotals(y);
      this.drawFooter(page, i, pages.length);
      // Rendering in slices (issue 12 §3): a 1,000-line RI yields to the event loop between pages.
      if (i % 4 === 3) await new Promise<void>((r) => setImmediate(r));
    }
    this.pdf.end();
    return done;
  }
}

/** The PDF bytes of one RI. Same input → same bytes. */
export function renderRiPdf(input: RenderInput): Promise<Buffer> {
  return new Renderer(input).render();
}
