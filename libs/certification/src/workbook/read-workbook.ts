import ExcelJS from 'exceljs';
import { DEFAULT_XLSX_BOUNDS, xlsxBoundsProblem, type XlsxBounds } from './xlsx-bounds';

/** One sheet as text: its trimmed headers and, per data row, the non-empty cells by column. */
export interface SheetTable {
  readonly name: string;
  readonly headers: readonly string[];
  readonly rows: readonly SheetRow[];
}

export interface SheetRow {
  /** The spreadsheet's own row number (the header is row 1). */
  readonly rowNumber: number;
  /** Header → text, empty cells and DGII's `#e` (empty) left out. */
  readonly cells: ReadonlyMap<string, string>;
}

/** DGII writes `#e` in a cell to say "empty" (PROTOCOL §10). */
export const EMPTY_MARK = '#e';

export class WorkbookUnreadable extends Error {}

function cellText(value: ExcelJS.CellValue): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (value instanceof Date) return undefined;
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('text' in value && typeof value.text === 'string') return value.text;
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
  }
  return undefined;
}

/**
 * Reads every sheet of an uploaded workbook, after the zip bounds check. Values are kept as the
 * text DGII wrote (amounts stay strings: "0.00" is not 0); numeric cells become their shortest
 * decimal text.
 *
 * @throws WorkbookUnreadable naming what is wrong (size, not an xlsx, a date cell).
 */
export async function readWorkbook(
  bytes: Buffer,
  bounds: XlsxBounds = DEFAULT_XLSX_BOUNDS,
): Promise<SheetTable[]> {
  const problem = xlsxBoundsProblem(bytes, bounds);
  if (problem) throw new WorkbookUnreadable(problem);
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    throw new WorkbookUnreadable('the workbook is not a readable .xlsx file');
  }
  if (workbook.worksheets.length === 0) throw new WorkbookUnreadable('the workbook has no sheets');
  return workbook.worksheets.map((sheet) => {
    const headerRow = sheet.getRow(1);
    const headers: string[] = [];
    headerRow.eachCell({ includeEmpty: true }, (cell, col) => {
      headers[col - 1] = (cellText(cell.value) ?? '').trim();
    });
    const rows: SheetRow[] = [];
    sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
      if (rowNumber === 1) return;
      const cells = new Map<string, string>();
      row.eachCell({ includeEmpty: false }, (cell, col) => {
        const header = headers[col - 1] ?? '';
        if (cell.value instanceof Date) {
          throw new WorkbookUnreadable(
            `sheet ${sheet.name} row ${rowNumber} column ${header || col}: a date cell; DGII writes dates as text dd-MM-yyyy`,
          );
        }
        // Values are taken literally (DGII's "exactly as written"); only blank and `#e` mean empty.
        const text = cellText(cell.value);
        if (text === undefined || text.trim() === '' || text.trim() === EMPTY_MARK) return;
        cells.set(header || `#${col}`, text);
      });
      if (cells.size > 0) rows.push({ rowNumber, cells });
    });
    return { name: sheet.name, headers: headers.map((h) => h ?? ''), rows };
  });
}
