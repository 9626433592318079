import { zipSync } from 'fflate';
import ExcelJS from 'exceljs';
import { readWorkbook, WorkbookUnreadable } from './read-workbook';
import { DEFAULT_XLSX_BOUNDS, xlsxBoundsProblem } from './xlsx-bounds';

const bounds = { maxUploadBytes: 64 * 1024, maxUncompressedBytes: 1024 * 1024, maxEntries: 10 };

describe('xlsx bounds (zip-bomb guard before exceljs)', () => {
  it('accepts a real workbook', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('ECF').addRow(['Version', 'TipoeCF']);
    const bytes = Buffer.from(await wb.xlsx.writeBuffer());
    expect(xlsxBoundsProblem(bytes, DEFAULT_XLSX_BOUNDS)).toBeUndefined();
  });

  it('refuses an archive that inflates past the cap, whatever sizes it declares', () => {
    // 8 MB of zeros deflate to a few kB: the upload is small, the expansion is not.
    const bomb = Buffer.from(
      zipSync({ 'xl/worksheets/sheet1.xml': new Uint8Array(8 * 1024 * 1024) }, { level: 9 }),
    );
    expect(bomb.length).toBeLessThan(bounds.maxUploadBytes);
    expect(xlsxBoundsProblem(bomb, bounds)).toMatch(/expands to more than 1048576 bytes/);
  });

  it('refuses too large an upload, too many parts, and what is not a zip', () => {
    expect(xlsxBoundsProblem(Buffer.alloc(bounds.maxUploadBytes + 1), bounds)).toMatch(/larger than/);
    const many: Record<string, Uint8Array> = {};
    for (let i = 0; i < 11; i++) many[`p${i}.xml`] = new Uint8Array(1);
    expect(xlsxBoundsProblem(Buffer.from(zipSync(many)), bounds)).toMatch(/more than 10 parts/);
    expect(xlsxBoundsProblem(Buffer.from('PK not really'), bounds)).toMatch(/not an .xlsx/);
  });

  it('readWorkbook says why instead of throwing something else', async () => {
    await expect(readWorkbook(Buffer.from('hello'))).rejects.toBeInstanceOf(WorkbookUnreadable);
    const zipNotXlsx = Buffer.from(zipSync({ 'a.txt': new Uint8Array([1, 2, 3]) }));
    await expect(readWorkbook(zipNotXlsx)).rejects.toBeInstanceOf(WorkbookUnreadable);
  });
});
