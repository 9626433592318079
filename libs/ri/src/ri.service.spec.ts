import { inflateRawSync } from 'node:zlib';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RiDocumentInvalidError } from '@app/common';
import { ecfQrUrl, rfceQrUrl, signCanonicalXmlAsync } from '@app/signing';
import { buildDocument } from '@app/xml-builder';
import {
  FIXTURE_ISSUE_DATE,
  FIXTURE_RNC_EMISOR,
  FIXTURE_SIGNED_AT,
  decodeQr,
  allEcfFixtures,
  describeWithRiTools,
  itWithOfficialFiles,
  makeEcf,
  measureQr,
  pdfText,
  renderPage,
  officialDir,
  testIdentity,
} from '@app/testing';
import { readRiDocument } from './ri-document';
import { RI_FORMATS } from './ri-pdf';
import { countPages, generateRi } from './ri-generate';
import { RI_WORKER_MIN_BYTES, RiService } from './ri.service';
import { formatAmount, printable } from './ri-text';
import { CODIGO_MODIFICACION, PROVINCIA_MUNICIPIO, UNIDAD_MEDIDA } from './tables/dgii-tables.generated';
import { signedEcf } from './testing/ri-fixtures';

const ri = new RiService();
// A large RI runs on the worker thread; under Jest it starts through ts-node, which takes seconds.
jest.setTimeout(60_000);
afterAll(() => ri.onModuleDestroy());
const DPI = 150;
const TYPE_WORDS: Record<string, string> = {
  '31': 'Factura de Crédito Fiscal Electrónica',
  '32': 'Factura de Consumo Electrónica',
  '33': 'Nota de Débito Electrónica',
  '34': 'Nota de Crédito Electrónica',
  '41': 'Comprobante Electrónico de Compras',
  '43': 'Comprobante Electrónico para Gastos Menores',
  '44': 'Comprobante Electrónico para Regímenes Especiales',
  '45': 'Comprobante Electrónico Gubernamental',
  '46': 'Comprobante Electrónico para Exportaciones',
  '47': 'Comprobante Electrónico para Pagos al Exterior',
};

/** pdftotext output with runs of spaces collapsed, so labels and values can be matched. */
function flat(text: string): string {
  return text.replace(/[ \t]+/g, ' ');
}

function tag(xml: string, name: string): string | undefined {
  return new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];
}

describe('RiService.generate refuses what is not a verified e-CF (422 RI_DOCUMENT_INVALID)', () => {
  it('names a tampered amount as a failed signature', async () => {
    const xml = await signedEcf('31');
    const tampered = xml.replace('<MontoTotal>1357.00</MontoTotal>', '<MontoTotal>1.00</MontoTotal>');
    expect(tampered).not.toBe(xml);
    const error = await ri.generate({ signedXml: tampered }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RiDocumentInvalidError);
    expect((error as Error).message).toMatch(/^the signedXml is refused: signature does not verify/);
  });

  it('names an unsigned document as such', async () => {
    const xml = await signedEcf('31');
    const unsigned = xml.replace(/<Signature[\s\S]*<\/Signature>/, '');
    await expect(ri.generate({ signedXml: unsigned })).rejects.toThrow(
      'the signedXml is refused: expected exactly one Signature element, found 0',
    );
  });

  it('refuses a swapped SignatureValue and text that is not XML', async () => {
    const a = await signedEcf('31');
    const b = await signedEcf('31', { sequence: 2 });
    const swapped = a.replace(/<SignatureValue>[^<]*/, `<SignatureValue>${tag(b, 'SignatureValue')}`);
    await expect(ri.generate({ signedXml: swapped })).rejects.toThrow(/SignatureValue does not verify/);
    await expect(ri.generate({ signedXml: 'not xml' })).rejects.toBeInstanceOf(RiDocumentInvalidError);
  });

  it('refuses rfce on a type other than 32', async () => {
    await expect(ri.generate({ signedXml: await signedEcf('31'), rfce: true })).rejects.toThrow(
      'rfce applies to a type 32 only; this e-CF is type 31',
    );
  });
});

describe('RiService.generate: the QR URL (PROTOCOL §9.1)', () => {
  it('is the ConsultaTimbre URL of libs/signing, with the security code of the signature', async () => {
    const xml = await signedEcf('31');
    const r = await ri.generate({ signedXml: xml, environment: 'TEST' });
    expect(r.securityCode).toBe(tag(xml, 'SignatureValue')?.slice(0, 6));
    expect(r.qrUrl).toBe(
      ecfQrUrl({
        environment: 'testecf',
        rncEmisor: FIXTURE_RNC_EMISOR,
        rncComprador: tag(xml, 'RNCComprador'),
        encf: 'E310000000001',
        fechaEmision: FIXTURE_ISSUE_DATE,
        montoTotal: tag(xml, 'MontoTotal') ?? '',
        fechaFirma: FIXTURE_SIGNED_AT,
        codigoSeguridad: r.securityCode,
      }),
    );
    expect(r.fileName).toBe(`${FIXTURE_RNC_EMISOR}E310000000001.pdf`);
  });

  it('is ConsultaTimbreFC for a type 32 under RD$250,000, unless rfce says it was not summarised', async () => {
    const xml = await signedEcf('32', { scenario: 'anonymous' });
    const auto = await ri.generate({ signedXml: xml });
    expect(auto.qrUrl).toBe(
      rfceQrUrl({
        environment: 'certecf',
        rncEmisor: FIXTURE_RNC_EMISOR,
        encf: 'E320000000001',
        montoTotal: tag(xml, 'MontoTotal') ?? '',
        codigoSeguridad: auto.securityCode,
      }),
    );
    expect((await ri.generate({ signedXml: xml, rfce: false })).qrUrl).toContain('/certecf/ConsultaTimbre?');
    const large = await ri.generate({ signedXml: await signedEcf('32', { scenario: 'large-consumo' }) });
    expect(large.qrUrl).toContain('https://ecf.dgii.gov.do/certecf/ConsultaTimbre?');
  });
});

describe('RiService.generate is deterministic (issue 12 §3)', () => {
  it('gives byte-identical PDFs for the same signed XML, dated by FechaHoraFirma', async () => {
    const xml = await signedEcf('31', { scenario: 'rich-text' });
    const [a, b] = [await ri.generate({ signedXml: xml }), await ri.generate({ signedXml: xml })];
    expect(a.pdf.equals(b.pdf)).toBe(true);
    const text = a.pdf.toString('latin1');
    // 10:15:00 Santo Domingo (GMT-4) is 14:15:00 UTC.
    expect(text).toContain('(D:20260401141500Z)');
    const other = await ri.generate({ signedXml: await signedEcf('31', { sequence: 2 }) });
    const id = (pdf: Buffer) => /\/ID \[<([0-9a-f]+)>/.exec(pdf.toString('latin1'))?.[1];
    expect(id(a.pdf)).toBeDefined();
    expect(id(other.pdf)).not.toBe(id(a.pdf));
  });
});

describe('RiService.generate: line limits (PROTOCOL §9.2)', () => {
  async function signedWithLines(type: '31' | '32', lines: number): Promise<string> {
    // Past the XSD's maximum: built at the limit, one more Item added, then signed.
    const base = buildDocument(type, makeEcf(type, { lines: lines - 1, scenario: 'basic' }), {
      fechaHoraFirma: FIXTURE_SIGNED_AT,
    });
    const extra = /<Item>[\s\S]*?<\/Item>/.exec(base)?.[0] ?? '';
    const xml = base.replace('</DetallesItems>', `${extra}</DetallesItems>`);
    return (await signCanonicalXmlAsync(xml, await testIdentity())).xml;
  }

  it('refuses more than 1,000 lines on a normal e-CF', async () => {
    await expect(ri.generate({ signedXml: await signedWithLines('31', 1001) })).rejects.toThrow(
      'the e-CF has 1001 item lines; an RI prints at most 1000',
    );
  });
});

describe('RiService: large documents on the worker thread', () => {
  it('gives the same bytes as drawing inline, and the same refusals', async () => {
    const xml = await signedEcf('31', { lines: 300 });
    expect(Buffer.byteLength(xml)).toBeGreaterThan(RI_WORKER_MIN_BYTES);
    const [worker, inline] = [await ri.generate({ signedXml: xml }), await generateRi({ signedXml: xml })];
    expect(worker.pdf.equals(inline.pdf)).toBe(true);
    expect({ ...worker, pdf: undefined }).toEqual({ ...inline, pdf: undefined });
    const tampered = xml.replace('Artículo de prueba 7<', 'Artículo de prueba 8<');
    const error = await ri.generate({ signedXml: tampered }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RiDocumentInvalidError);
    expect((error as Error).message).toMatch(/^the signedXml is refused: signature does not verify/);
  });
});

describe('RiService.generateZip (certification Paso 5)', () => {
  it('zips one PDF per document under its portal slot and a DGII-style file name', async () => {
    const docs = [await signedEcf('31'), await signedEcf('34', { scenario: 'credit-note' })];
    const { zip, files } = await ri.generateZip(docs.map((signedXml) => ({ signedXml })));
    expect(files.map((f) => f.slot)).toEqual(['31', '34']);
    expect(files.map((f) => f.fileName)).toEqual([
      `${FIXTURE_RNC_EMISOR}E310000000001.pdf`,
      `${FIXTURE_RNC_EMISOR}E340000000001.pdf`,
    ]);
    // Read the archive back by its local headers.
    const entries: { name: string; data: Buffer }[] = [];
    let at = 0;
    while (zip.readUInt32LE(at) === 0x04034b50) {
      const size = zip.readUInt32LE(at + 18);
      const nameLength = zip.readUInt16LE(at + 26);
      const name = zip.subarray(at + 30, at + 30 + nameLength).toString('utf8');
      const start = at + 30 + nameLength;
      entries.push({ name, data: inflateRawSync(zip.subarray(start, start + size)) });
      at = start + size;
    }
    expect(entries.map((e) => e.name)).toEqual(files.map((f) => `${f.slot}/${f.fileName}`));
    expect(files.map((f) => f.path)).toEqual(entries.map((e) => e.name));
    const single = await ri.generate({ signedXml: docs[1] });
    expect(entries[1].data.equals(single.pdf)).toBe(true);
    expect(zip.readUInt32LE(zip.length - 22)).toBe(0x06054b50);
  });
});

describeWithRiTools('RI of every e-CF type, read back with poppler and zbar', () => {
  // Every makeEcf scenario of every type (the 1,000-line ones have their own test below).
  const fixtures = allEcfFixtures()
    .filter((f) => f.scenario !== 'many-lines')
    .map((f) => ({ name: `${f.type} (${f.scenario})`, type: f.type, overrides: { scenario: f.scenario } }));
  for (const f of fixtures) {
    it(`e-CF ${f.name}: pdftotext finds every required field with its value (PROTOCOL §9.2)`, async () => {
      const xml = await signedEcf(f.type, f.overrides);
      const r = await ri.generate({ signedXml: xml });
      const text = flat(pdfText(r.pdf));
      const doc = readRiDocument(xml);
      const who = f.type === '41' ? 'proveedor' : 'cliente';
      expect(text).toContain(TYPE_WORDS[f.type]);
      expect(text).toContain(`e-NCF: ${doc.encf}`);
      if (f.type === '32' || f.type === '34') expect(text).not.toContain('Fecha de vencimiento');
      else expect(text).toContain(`Fecha de vencimiento: ${doc.fechaVencimientoSecuencia}`);
      if (doc.emisor.nombreComercial) expect(text).toContain(printable(doc.emisor.nombreComercial));
      expect(text).toContain(printable(doc.emisor.razonSocial));
      expect(text).toContain(`RNC: ${doc.emisor.rnc}`);
      expect(text).toContain(`Dirección: ${printable(doc.emisor.direccion)}`);
      expect(text).toContain(`Municipio: ${PROVINCIA_MUNICIPIO[doc.emisor.municipio ?? '']}`);
      expect(text).toContain(`Provincia: ${PROVINCIA_MUNICIPIO[doc.emisor.provincia ?? '']}`);
      expect(text).toContain(`Fecha de emisión: ${doc.emisor.fechaEmision}`);
      if (doc.comprador?.razonSocial)
        expect(text).toContain(`Razón social ${who}: ${printable(doc.comprador.razonSocial)}`);
      if (doc.comprador?.rnc) expect(text).toMatch(new RegExp(`(RNC|Cédula) ${who}: ${doc.comprador.rnc}`));
      if (doc.referencia) {
        expect(text).toContain(`e-NCF modificado: ${doc.referencia.ncfModificado}`);
        const code = doc.referencia.codigoModificacion ?? '';
        expect(text).toContain(`Código de modificación: ${code} - ${CODIGO_MODIFICACION[code]}`);
      }
      for (const item of doc.items) {
        const exempt = item.indicadorFacturacion === '4' ? 'E ' : '';
        // A long name wraps inside its column: its start sits beside the quantity.
        expect(text).toContain(`${exempt}${item.cantidad} ${printable(item.nombre).slice(0, 12)}`);
        expect(text).toContain(UNIDAD_MEDIDA[item.unidadMedida ?? '43']);
        expect(text).toContain(formatAmount(item.monto));
      }
      expect(text).toMatch(
        new RegExp(`TOTAL RD\\$ ${formatAmount(doc.totales.MontoTotal).replace(/\./g, '\\.')}`),
      );
      if (doc.totales.TotalITBIS)
        expect(text).toContain(`Total ITBIS RD$ ${formatAmount(doc.totales.TotalITBIS)}`);
      if (doc.totales.MontoExento)
        expect(text).toContain(`Subtotal exento RD$ ${formatAmount(doc.totales.MontoExento)}`);
      for (const a of doc.ajustes) {
        expect(text).toContain(`${a.tipo === 'R' ? 'Recargo' : 'Descuento'} global`);
        expect(text).toContain(`RD$ ${formatAmount(a.monto)}`);
      }
      for (const tax of doc.impuestosAdicionales) {
        expect(text).toContain(`RD$ ${formatAmount(tax.especifico ?? tax.advalorem ?? tax.otros)}`);
      }
      if (doc.totales.MontoImpuestoAdicional) {
        expect(text).toContain(
          `Total impuestos adicionales RD$ ${formatAmount(doc.totales.MontoImpuestoAdicional)}`,
        );
      }
      if (doc.totales.TotalISRRetencion) {
        expect(text).toContain(`ISR retenido RD$ ${formatAmount(doc.totales.TotalISRRetencion)}`);
      }
      if (doc.otraMoneda) {
        const code = doc.otraMoneda.tipoMoneda;
        expect(text).toContain(
          `TOTAL (${code}) ${formatAmount(doc.otraMoneda.totales.MontoTotalOtraMoneda)} ${code}`,
        );
      }
      expect(text).toContain(`Código de Seguridad: ${r.securityCode}`);
      expect(text).toContain(`Fecha de Firma Digital: ${FIXTURE_SIGNED_AT}`);
    });
  }

  for (const format of RI_FORMATS) {
    it(`${format}: the QR decodes to exactly qrUrl, measures ≥ 22 mm, with its quiet zone, where DGII puts it`, async () => {
      const r = await ri.generate({ signedXml: await signedEcf('31'), format });
      const page = renderPage(r.pdf, 1, DPI);
      expect(decodeQr(page.png)).toEqual([r.qrUrl]);
      const box = measureQr(page);
      expect(box).toBeDefined();
      const { x, y, width, height } = box!;
      expect(width).toBeGreaterThanOrEqual(22);
      expect(height).toBeGreaterThanOrEqual(22);
      expect(Math.abs(width - height)).toBeLessThan(0.5);
      const pageWidth = (page.width * 25.4) / DPI;
      const pageHeight = (page.height * 25.4) / DPI;
      if (format === '80mm') {
        // Bottom centre on roll paper.
        expect(Math.abs(x + width / 2 - pageWidth / 2)).toBeLessThan(1);
        expect(y).toBeGreaterThan(pageHeight / 2);
      } else {
        // Lower left, ≥ 2 cm from the paper edges.
        expect(x).toBeGreaterThanOrEqual(19.5);
        expect(x + width).toBeLessThan(pageWidth / 3);
        expect(y).toBeGreaterThan(pageHeight / 2);
        expect(pageHeight - (y + height)).toBeGreaterThanOrEqual(19.5);
      }
      // 3 mm around the symbol hold no ink.
      const q = (3 * DPI) / 25.4;
      const px = (mm: number) => Math.round((mm * DPI) / 25.4);
      let ink = 0;
      for (let row = px(y) - Math.floor(q); row < px(y + height) + q; row++) {
        for (let col = px(x) - Math.floor(q); col < px(x + width) + q; col++) {
          const inside =
            row >= px(y) - 1 && row <= px(y + height) + 1 && col >= px(x) - 1 && col <= px(x + width) + 1;
          if (!inside && page.pixels[row * page.width + col] < 128) ink++;
        }
      }
      expect(ink).toBe(0);
    });
  }

  it('the QR of a type 32 under RD$250,000 decodes to its ConsultaTimbreFC URL', async () => {
    const r = await ri.generate({
      signedXml: await signedEcf('32', { scenario: 'anonymous' }),
      format: '80mm',
    });
    expect(decodeQr(renderPage(r.pdf, 1, DPI).png)).toEqual([r.qrUrl]);
    expect(r.qrUrl).toContain('/ConsultaTimbreFC?');
  });

  it('a 1,000-line e-CF paginates: header, QR and page subtotals on every page, totals on the last', async () => {
    const xml = await signedEcf('31', { lines: 1000 });
    const r = await ri.generate({ signedXml: xml });
    expect(r.pages).toBeGreaterThan(10);
    expect(countPages(r.pdf)).toBe(r.pages);
    const pages = pdfText(r.pdf)
      .split('\f')
      .filter((p) => p.trim() !== '')
      .map(flat);
    expect(pages).toHaveLength(r.pages);
    for (const [i, p] of pages.entries()) {
      expect(p).toContain('Factura de Crédito Fiscal Electrónica');
      expect(p).toContain('e-NCF: E310000000001');
      expect(p).toContain('Razón social cliente: Cliente Ejemplo SRL');
      expect(p).toContain(`Código de Seguridad: ${r.securityCode}`);
      expect(p).toContain(`Página ${i + 1} de ${r.pages}`);
      expect(p).toMatch(/Subtotal página \(líneas \d+-\d+\): gravado [\d,.]+, exento [\d,.]+, valor [\d,.]+/);
      expect(p.includes('TOTAL RD$')).toBe(i === pages.length - 1);
    }
    // Every line printed once, in order.
    const lines = pages.join('\n').match(/Artículo de prueba \d+/g) ?? [];
    expect(lines).toHaveLength(1000);
    expect(lines[999]).toBe('Artículo de prueba 1000');
    for (const n of [1, Math.ceil(r.pages / 2), r.pages]) {
      expect(decodeQr(renderPage(r.pdf, n, DPI).png)).toEqual([r.qrUrl]);
    }
  });

  it('prints ñ, á, €, &, <, quotes with an embedded font, and each emoji as one □', async () => {
    const r = await ri.generate({ signedXml: await signedEcf('31', { scenario: 'rich-text' }) });
    const text = flat(pdfText(r.pdf));
    expect(text).toContain('Ñoño & Hijos <Importadora> "La Económica" \'S.R.L.\'');
    expect(text).toContain('Cliente € & <Compañía> "Ñandú" \'Peña\' □');
    expect(text).toContain('Café "Premium" & <Ñame> 1/2 kg €');
    expect(text).not.toMatch(/\p{Extended_Pictographic}/u);
    // Only embedded subsets of DejaVu Sans: no base-14 font the printer would substitute.
    const fonts = r.pdf.toString('latin1').match(/\/BaseFont \/[A-Z]{6}\+[\w-]+/g) ?? [];
    expect(fonts.length).toBeGreaterThan(0);
    expect(fonts.every((f) => f.includes('DejaVuSans'))).toBe(true);
    expect(r.pdf.toString('latin1')).toContain('/FontFile2');
  });

  it('roll paper paginates too: each piece has its header, QR and page number', async () => {
    const r = await ri.generate({ signedXml: await signedEcf('32', { lines: 400 }), format: '80mm' });
    expect(r.pages).toBeGreaterThan(1);
    const pages = pdfText(r.pdf)
      .split('\f')
      .filter((p) => p.trim() !== '')
      .map(flat);
    expect(pages).toHaveLength(r.pages);
    for (const [i, p] of pages.entries()) {
      expect(p).toContain('e-NCF: E320000000001');
      expect(p).toContain(`Página ${i + 1} de ${r.pages}`);
    }
    for (const n of [1, r.pages]) expect(decodeQr(renderPage(r.pdf, n, DPI).png)).toEqual([r.qrUrl]);
  });

  itWithOfficialFiles(
    'refuses a DGII-signed document that is not an e-CF (an ACECF) with 422, not a 500',
    async () => {
      const xml = readFileSync(
        join(officialDir('samples'), 'acecf-signed-by-dgii-emisorreceptor-E450000000001.xml'),
        'utf8',
      );
      await expect(ri.generate({ signedXml: xml })).rejects.toThrow(
        'the root element is ACECF, not ECF: only an e-CF has a printed representation',
      );
    },
    ['samples'],
  );

  itWithOfficialFiles(
    'prints the RI of DGII-signed and field e-CF samples, with the QR their signature gives',
    async () => {
      const dir = officialDir('samples');
      const samples = readdirSync(dir).filter((f) => /^ecf3[12]-signed-.*\.xml$/.test(f));
      expect(samples.length).toBeGreaterThan(0);
      for (const name of samples) {
        const xml = readFileSync(join(dir, name), 'utf8');
        const r = await ri.generate({ signedXml: xml });
        const text = flat(pdfText(r.pdf));
        expect(text).toContain(`e-NCF: ${tag(xml, 'eNCF')}`);
        expect(text).toContain(`Código de Seguridad: ${r.securityCode}`);
        expect(decodeQr(renderPage(r.pdf, 1, DPI).png)).toEqual([r.qrUrl]);
      }
    },
    ['samples'],
  );
});
