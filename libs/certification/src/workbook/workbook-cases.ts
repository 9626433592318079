import { RFCE_THRESHOLD_DOP, type ErrorDetail } from '@app/common';
import { ECF_TYPES, isEcfType, type DgiiJson, type DocumentKind, type EcfType } from '@app/xml-builder';
import { columnPath, knownLeafNames, parseColumn, setAtPath } from './column-paths';
import type { SheetRow, SheetTable } from './read-workbook';

/**
 * DGII's certification workbooks (PROTOCOL §10) → the cases to build, exactly as written: every
 * non-empty cell goes to the element its column names, nothing else is added.
 */
export type WorkbookKind = 'ecf' | 'acecf';

export interface EcfCase {
  readonly kind: 'ecf';
  /** Spreadsheet row number in sheet `ECF`. */
  readonly row: number;
  /** DGII's `CasoPrueba` column (RNC + e-NCF). */
  readonly caseId: string;
  readonly tipo: EcfType;
  readonly encf: string;
  readonly rncEmisor: string;
  /** The document in DGII JSON shape, for `ecf` of the issue route. */
  readonly ecf: DgiiJson;
  /** Consumo under RD$250,000: sent as RFCE to the fc host (PROTOCOL §5). */
  readonly viaRfce: boolean;
  /** The `RFCE` sheet's row for this e-NCF, in RFCE JSON shape (without CodigoSeguridadeCF). */
  readonly expectedRfce?: DgiiJson;
  /** Notes (33, 34): the e-NCF they modify, sent only after it is Aceptado (PROTOCOL §10). */
  readonly modifies?: string;
  /** Every cell of the row, column → text (for the dry-run oracle). */
  readonly cells: ReadonlyMap<string, string>;
}

export interface AcecfCase {
  readonly kind: 'acecf';
  readonly row: number;
  readonly caseId: string;
  readonly encf: string;
  readonly rncComprador: string;
  readonly rncEmisor: string;
  /** The ACECF in DGII JSON shape, FechaHoraAprobacionComercial included. */
  readonly acecf: DgiiJson;
  readonly cells: ReadonlyMap<string, string>;
}

export type CertificationCase = EcfCase | AcecfCase;

export interface WorkbookCases {
  readonly kind: WorkbookKind;
  readonly cases: readonly CertificationCase[];
}

/** DGII's metadata column: the case's name, not an element. */
const CASE_COLUMN = 'CasoPrueba';
const ECF_SHEET = 'ECF';
const RFCE_SHEET = 'RFCE';

const ECF_LEAVES = knownLeafNames(ECF_TYPES);
const RFCE_LEAVES = knownLeafNames(['RFCE']);
const ACECF_LEAVES = knownLeafNames(['ACECF']);

/** What is wrong with a workbook; the route maps it to 400 INVALID_WORKBOOK. */
export class WorkbookProblems extends Error {
  constructor(readonly details: ErrorDetail[]) {
    super('the workbook is not one of DGII certification test sets');
  }
}

function unknownColumns(sheet: SheetTable, leaves: ReadonlySet<string>): ErrorDetail[] {
  return sheet.headers.flatMap((header, i) => {
    if (header === '' || header === CASE_COLUMN) return [];
    const parsed = parseColumn(header);
    if (parsed && leaves.has(parsed.name.toLowerCase())) return [];
    return [
      {
        path: `workbook.${sheet.name}`,
        message: `unknown column ${JSON.stringify(header)} (column ${i + 1})`,
        rule: 'unknown-column',
      },
    ];
  });
}

/** A row's cells → DGII JSON of `kind`; a cell that fits no element of the kind is a problem. */
function documentOf(
  sheet: SheetTable,
  row: SheetRow,
  kind: DocumentKind,
  problems: ErrorDetail[],
): Record<string, unknown> {
  const doc: Record<string, unknown> = {};
  for (const [header, value] of row.cells) {
    if (header === CASE_COLUMN) continue;
    const path = columnPath(kind, header);
    if (!path.ok) {
      problems.push({
        path: `workbook.${sheet.name}[row ${row.rowNumber}].${header}`,
        message: `the cell ${JSON.stringify(value)} fits no field: column ${header} ${path.reason}`,
        rule: 'cell-fits-no-field',
      });
      continue;
    }
    setAtPath(doc, path.steps, value);
  }
  return doc;
}

type Json = Record<string, unknown>;
const get = (doc: Json, ...names: string[]): unknown =>
  names.reduce<unknown>((v, n) => (v && typeof v === 'object' ? (v as Json)[n] : undefined), doc);
const text = (v: unknown): string => (typeof v === 'string' ? v : '');

function ecfCases(sheets: readonly SheetTable[], ecfSheet: SheetTable): WorkbookCases {
  const problems = unknownColumns(ecfSheet, ECF_LEAVES);
  const rfceSheet = sheets.find((s) => s.name === RFCE_SHEET);
  if (rfceSheet) problems.push(...unknownColumns(rfceSheet, RFCE_LEAVES));
  if (problems.length) throw new WorkbookProblems(problems);

  const expectedRfce = new Map<string, DgiiJson>();
  for (const row of rfceSheet?.rows ?? []) {
    const doc = documentOf(rfceSheet as SheetTable, row, 'RFCE', problems);
    const encf = text(get(doc, 'Encabezado', 'IdDoc', 'eNCF'));
    if (encf) expectedRfce.set(encf, doc);
  }
  const cases: EcfCase[] = [];
  for (const row of ecfSheet.rows) {
    const tipo = row.cells.get('TipoeCF') ?? '';
    if (!isEcfType(tipo)) {
      problems.push({
        path: `workbook.${ECF_SHEET}[row ${row.rowNumber}].TipoeCF`,
        message: `TipoeCF ${JSON.stringify(tipo)} is not one of ${ECF_TYPES.join(', ')}`,
        rule: 'cell-fits-no-field',
      });
      continue;
    }
    const ecf = documentOf(ecfSheet, row, tipo, problems);
    const encf = text(get(ecf, 'Encabezado', 'IdDoc', 'eNCF'));
    const montoTotal = Number(text(get(ecf, 'Encabezado', 'Totales', 'MontoTotal')));
    const modifies = text(get(ecf, 'InformacionReferencia', 'NCFModificado'));
    const viaRfce = tipo === '32' && Number.isFinite(montoTotal) && montoTotal < RFCE_THRESHOLD_DOP;
    const rfce = expectedRfce.get(encf);
    if (viaRfce && rfceSheet && !rfce) {
      problems.push({
        path: `workbook.${RFCE_SHEET}`,
        message: `no RFCE row for the consumo case ${encf} (row ${row.rowNumber} of ${ECF_SHEET})`,
        rule: 'missing-rfce-row',
      });
    }
    cases.push({
      kind: 'ecf',
      row: row.rowNumber,
      caseId: row.cells.get(CASE_COLUMN) ?? encf,
      tipo,
      encf,
      rncEmisor: text(get(ecf, 'Encabezado', 'Emisor', 'RNCEmisor')),
      ecf,
      viaRfce,
      ...(rfce ? { expectedRfce: rfce } : {}),
      ...(modifies ? { modifies } : {}),
      cells: row.cells,
    });
  }
  if (problems.length) throw new WorkbookProblems(problems);
  if (cases.length === 0)
    throw new WorkbookProblems([
      { path: `workbook.${ECF_SHEET}`, message: 'the sheet has no cases', rule: 'empty' },
    ]);
  return { kind: 'ecf', cases };
}

function acecfCases(sheet: SheetTable): WorkbookCases {
  const problems = unknownColumns(sheet, ACECF_LEAVES);
  if (problems.length) throw new WorkbookProblems(problems);
  const cases: AcecfCase[] = [];
  for (const row of sheet.rows) {
    const detalle = documentOf(sheet, row, 'ACECF', problems);
    const d = (detalle.DetalleAprobacionComercial ?? {}) as Json;
    cases.push({
      kind: 'acecf',
      row: row.rowNumber,
      caseId: row.cells.get(CASE_COLUMN) ?? `${text(d.RNCComprador)}${text(d.eNCF)}`,
      encf: text(d.eNCF),
      rncComprador: text(d.RNCComprador),
      rncEmisor: text(d.RNCEmisor),
      acecf: detalle,
      cells: row.cells,
    });
  }
  if (problems.length) throw new WorkbookProblems(problems);
  if (cases.length === 0)
    throw new WorkbookProblems([
      { path: `workbook.${sheet.name}`, message: 'the sheet has no cases', rule: 'empty' },
    ]);
  return { kind: 'acecf', cases };
}

/**
 * Which test set the workbook is (Paso 2: sheet `ECF`, with `RFCE`; Paso 3: one sheet of ACECF
 * columns) and its cases, in the workbook's order.
 *
 * @throws WorkbookProblems naming every missing sheet, unknown column and cell that fits no field.
 */
export function casesFromWorkbook(sheets: readonly SheetTable[]): WorkbookCases {
  const ecfSheet = sheets.find((s) => s.name === ECF_SHEET);
  if (ecfSheet) return ecfCases(sheets, ecfSheet);
  // Paso 3's sheet name varies (`ACEECF_Generadas`): recognised by its columns.
  const acecfSheet = sheets.find(
    (s) => s.headers.includes('FechaHoraAprobacionComercial') || s.headers.includes('eNCF'),
  );
  if (acecfSheet && sheets.length >= 1) return acecfCases(acecfSheet);
  throw new WorkbookProblems([
    {
      path: 'workbook',
      message: `missing sheet ${ECF_SHEET} (Paso 2) or a sheet of ACECF columns (Paso 3); found ${sheets.map((s) => JSON.stringify(s.name)).join(', ') || 'no sheet'}`,
      rule: 'missing-sheet',
    },
  ]);
}
