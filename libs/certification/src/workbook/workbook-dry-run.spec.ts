import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ManualClock } from '@app/common';
import { loadConfig } from '@app/config';
import type { DgiiGateway } from '@app/dgii-gateway';
import {
  AcecfIssuanceService,
  DocumentSigner,
  EcfIssuanceService,
  type IdempotencyStore,
  type ReceptorDeliveryService,
} from '@app/issuance';
import { signingIdentityOf, verifyXmlSignature, type SigningIdentity } from '@app/signing';
import { decimalKey, XsdCheck, type DocumentKind } from '@app/xml-builder';
import { describeIfOfficialFiles, officialDir, testIdentity, xmlsecVerify } from '@app/testing';
import { xmlLeaves, stepsKey } from '../testing/document-leaves';
import { columnPath } from './column-paths';
import { readWorkbook, type SheetRow } from './read-workbook';
import { casesFromWorkbook, type AcecfCase, type EcfCase } from './workbook-cases';

const describe = describeIfOfficialFiles('xsd', 'certification');

/** 2026-06-23 17:50:00 in Santo Domingo (UTC−4). */
const NOW = Date.parse('2026-06-23T21:50:00Z');

/** Equal as DGII reads them: the same text, or the same decimal where both are numbers. */
const sameValue = (a: string, b: string): boolean =>
  a === b || (decimalKey(a) !== undefined && decimalKey(a) === decimalKey(b));

/** The row's cells as leaf keys of `kind` (CasoPrueba is DGII's case name, not an element). */
function rowLeaves(kind: DocumentKind, cells: ReadonlyMap<string, string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [header, value] of cells) {
    if (header === 'CasoPrueba') continue;
    const path = columnPath(kind, header);
    if (!path.ok) throw new Error(`${header}: ${path.reason}`);
    out.set(stepsKey(path.steps), value);
  }
  return out;
}

/** Every row value in the document, decimal-equal where numeric, and nothing else but `extra`. */
function expectExactly(xml: string, expected: Map<string, string>, extra: readonly string[]): void {
  const written = xmlLeaves(xml);
  const missing = [...expected].filter(([k, v]) => !written.has(k) || !sameValue(written.get(k) ?? '', v));
  expect(missing.map(([k, v]) => `${k}=${v} (written ${written.get(k)})`)).toEqual([]);
  const added = [...written.keys()].filter((k) => !expected.has(k) && !extra.includes(k));
  expect(added).toEqual([]);
}

const ecfLeavesOf = (c: EcfCase): Map<string, string> => rowLeaves(c.tipo, c.cells);

describe("DGII's Paso 2 and Paso 3 workbooks, every row as a dry run", () => {
  let xsd: XsdCheck;
  let ecf: EcfIssuanceService;
  let acecf: AcecfIssuanceService;
  let identity: SigningIdentity;
  let ecfCases: EcfCase[];
  let acecfCases: AcecfCase[];
  let rfceRows: SheetRow[] = [];
  const caller = (): { cacheKey: string; identity: SigningIdentity } => ({ cacheKey: 'k', identity });
  // A dry run never reaches DGII: any call fails the test.
  const dgii = new Proxy({} as DgiiGateway, {
    get: () => () => {
      throw new Error('a dry run called DGII');
    },
  });

  beforeAll(async () => {
    const config = loadConfig({ DGII_XSD_DIR: officialDir('xsd') });
    xsd = new XsdCheck(config);
    await xsd.onModuleInit();
    const clock = new ManualClock(NOW);
    const signer = new DocumentSigner(clock, xsd);
    // Dry runs deliver nothing to receptors either.
    const delivery = {} as ReceptorDeliveryService;
    ecf = new EcfIssuanceService(signer, dgii, clock, config, {} as IdempotencyStore, xsd, delivery);
    acecf = new AcecfIssuanceService(signer, dgii, clock, delivery);
    identity = signingIdentityOf({ ...(await testIdentity()), keyType: 'rsa' });
    const dir = officialDir('certification');
    const paso2Sheets = await readWorkbook(readFileSync(join(dir, 'dataset.xlsx')));
    rfceRows = [...(paso2Sheets.find((s) => s.name === 'RFCE')?.rows ?? [])];
    const paso2 = casesFromWorkbook(paso2Sheets);
    const paso3 = casesFromWorkbook(await readWorkbook(readFileSync(join(dir, 'acecf_dataset.xlsx'))));
    ecfCases = paso2.cases.filter((c): c is EcfCase => c.kind === 'ecf');
    acecfCases = paso3.cases.filter((c): c is AcecfCase => c.kind === 'acecf');
  });
  afterAll(() => xsd.onModuleDestroy());

  it('reads 25 e-CF cases (4 consumo as RFCE, each with its RFCE row) and 11 approvals', () => {
    expect(xsd.enabled).toBe(true);
    expect(ecfCases).toHaveLength(25);
    expect(new Set(ecfCases.map((c) => c.tipo))).toEqual(
      new Set(['31', '32', '33', '34', '41', '43', '44', '45', '46', '47']),
    );
    const consumo = ecfCases.filter((c) => c.viaRfce);
    expect(consumo).toHaveLength(4);
    expect(consumo.every((c) => c.expectedRfce !== undefined)).toBe(true);
    expect(acecfCases).toHaveLength(11);
  });

  it('accepts every e-CF row, signs exactly its values, and each consumo RFCE equals its RFCE row', async () => {
    for (const c of ecfCases) {
      const result = await ecf.issue(caller(), { ecf: c.ecf as Record<string, unknown>, dryRun: true });
      expect({ row: c.row, ruling: result.ruling }).toEqual({ row: c.row, ruling: 'not-sent' });
      expect(result.ecfNumber).toBe(c.encf);
      // Only the signing instant is ours (PROTOCOL §3.3).
      expectExactly(result.signedXml, ecfLeavesOf(c), ['FechaHoraFirma[0]']);
      expect(xmlsecVerify(result.signedXml)).toMatchObject({ ok: true });
      expect(await verifyXmlSignature(result.signedXml)).toMatchObject({ valid: true });
      if (!c.viaRfce) {
        expect(result.rfceSignedXml).toBeUndefined();
        continue;
      }
      const rfceRow = rowLeaves('RFCE', rfceCellsOf(c));
      expectExactly(result.rfceSignedXml ?? '', rfceRow, ['Encabezado[0].CodigoSeguridadeCF[0]']);
      expect(xmlLeaves(result.rfceSignedXml ?? '').get('Encabezado[0].CodigoSeguridadeCF[0]')).toBe(
        result.securityCode,
      );
      expect(xmlsecVerify(result.rfceSignedXml ?? '')).toMatchObject({ ok: true });
    }
  }, 120_000);

  it('signs every approval with exactly its row, FechaHoraAprobacionComercial included', async () => {
    for (const c of acecfCases) {
      const d = c.acecf.DetalleAprobacionComercial as Record<string, string>;
      const result = await acecf.issue(caller(), {
        rncEmisor: d.RNCEmisor,
        rncComprador: d.RNCComprador,
        eNCF: d.eNCF,
        fechaEmisionOriginal: d.FechaEmision,
        montoTotalOriginal: d.MontoTotal,
        estado: d.Estado,
        fechaHoraAprobacionComercial: d.FechaHoraAprobacionComercial,
        dryRun: true,
      });
      expect(result.ruling).toBe('not-sent');
      expectExactly(result.signedXml, rowLeaves('ACECF', c.cells), []);
      expect(result.signedXml).toContain(
        `<FechaHoraAprobacionComercial>${d.FechaHoraAprobacionComercial}</FechaHoraAprobacionComercial>`,
      );
      // XSD: MontoTotal with exactly 2 decimals even where the workbook cell is the number 18283.
      expect(result.signedXml).toMatch(/<MontoTotal>\d+\.\d{2}<\/MontoTotal>/);
      expect(xmlsecVerify(result.signedXml)).toMatchObject({ ok: true });
    }
  }, 60_000);

  function rfceCellsOf(c: EcfCase): ReadonlyMap<string, string> {
    const row = rfceRows.find((r) => (r.cells.get('ENCF') ?? r.cells.get('eNCF')) === c.encf);
    if (!row) throw new Error(`no RFCE row for ${c.encf}`);
    return row.cells;
  }
});
