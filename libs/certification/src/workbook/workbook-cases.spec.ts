import { columnPath } from './column-paths';
import type { SheetTable } from './read-workbook';
import { casesFromWorkbook, WorkbookProblems, type EcfCase } from './workbook-cases';

const sheet = (name: string, rows: Record<string, string>[]): SheetTable => {
  const headers = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return {
    name,
    headers,
    rows: rows.map((r, i) => ({ rowNumber: i + 2, cells: new Map(Object.entries(r)) })),
  };
};

const ROW31 = {
  CasoPrueba: '131793916E310000000001',
  Version: '1.0',
  TipoeCF: '31',
  ENCF: 'E310000000001',
  RNCEmisor: '131793916',
  'NombreItem[1]': 'A',
  'NombreItem[2]': 'B',
  'FormaPago[1]': '1',
  'TelefonoEmisor[2]': '809-000-0000',
  'MontoSubDescuento[1][2]': '5.00',
  NCFModificado: 'E310000000009',
  MontoTotal: '100.00',
};

function problemsOf(sheets: SheetTable[]): { rule?: string; message: string }[] {
  try {
    casesFromWorkbook(sheets);
  } catch (e) {
    expect(e).toBeInstanceOf(WorkbookProblems);
    return (e as WorkbookProblems).details as { rule?: string; message: string }[];
  }
  throw new Error('expected WorkbookProblems');
}

describe('workbook → cases', () => {
  it('maps bracketed columns to their elements, DGII spellings included', () => {
    expect(columnPath('31', 'NombreItem[3]')).toEqual({
      ok: true,
      steps: [{ name: 'DetallesItems' }, { name: 'Item', index: 2 }, { name: 'NombreItem' }],
    });
    const sub = columnPath('31', 'MontoSubDescuento[1][2]');
    expect(sub.ok && sub.steps.map((s) => `${s.name}${s.index ?? ''}`)).toEqual([
      'DetallesItems',
      'Item0',
      'TablaSubDescuento',
      'SubDescuento1',
      'MontoSubDescuento',
    ]);
    expect(columnPath('31', 'ENCF')).toMatchObject({
      ok: true,
      steps: [{ name: 'Encabezado' }, { name: 'IdDoc' }, { name: 'eNCF' }],
    });
    const dor = columnPath('31', 'NumeroLineaDoR[2]');
    expect(dor.ok && dor.steps.map((s) => s.name)).toEqual([
      'DescuentosORecargos',
      'DescuentoORecargo',
      'NumeroLinea',
    ]);
    expect(columnPath('31', 'NumeroLinea[1]')).toMatchObject({
      ok: true,
      steps: [{ name: 'DetallesItems' }, { name: 'Item' }, { name: 'NumeroLinea' }],
    });
    expect(columnPath('43', 'RNCComprador')).toMatchObject({ ok: false });
    expect(columnPath('31', 'NombreItem')).toMatchObject({ ok: false });
  });

  it('builds the document with arrays for repeated elements and nothing else', () => {
    const { kind, cases } = casesFromWorkbook([sheet('ECF', [ROW31])]);
    expect(kind).toBe('ecf');
    const c = cases[0] as EcfCase;
    expect(c).toMatchObject({
      row: 2,
      tipo: '31',
      encf: 'E310000000001',
      viaRfce: false,
      modifies: 'E310000000009',
    });
    expect(c.ecf).toEqual({
      Encabezado: {
        Version: '1.0',
        IdDoc: {
          TipoeCF: '31',
          eNCF: 'E310000000001',
          TablaFormasPago: { FormaDePago: [{ FormaPago: '1' }] },
        },
        Emisor: {
          RNCEmisor: '131793916',
          TablaTelefonoEmisor: { TelefonoEmisor: [undefined, '809-000-0000'] },
        },
        Totales: { MontoTotal: '100.00' },
      },
      DetallesItems: {
        Item: [
          {
            NombreItem: 'A',
            TablaSubDescuento: { SubDescuento: [undefined, { MontoSubDescuento: '5.00' }] },
          },
          { NombreItem: 'B' },
        ],
      },
      InformacionReferencia: { NCFModificado: 'E310000000009' },
    });
  });

  it('names a missing sheet, an unknown column and a cell that fits no field', () => {
    expect(problemsOf([sheet('Hoja1', [{ Nombre: 'x' }])])[0]).toMatchObject({ rule: 'missing-sheet' });
    expect(problemsOf([sheet('ECF', [{ ...ROW31, 'Nombre del item': 'x' }])])[0]).toMatchObject({
      rule: 'unknown-column',
      message: expect.stringContaining('Nombre del item'),
    });
    // Type 43 has no Comprador: the cell fits no field of the row's type.
    const misfit = problemsOf([
      sheet('ECF', [{ ...ROW31, TipoeCF: '43', ENCF: 'E430000000001', RNCComprador: '131880681' }]),
    ]);
    expect(misfit.map((p) => p.rule)).toContain('cell-fits-no-field');
    expect(problemsOf([sheet('ECF', [{ ...ROW31, TipoeCF: '99' }])])[0].message).toContain('TipoeCF');
  });

  it('recognises the approvals workbook by its columns', () => {
    const { kind, cases } = casesFromWorkbook([
      sheet('ACEECF_Generadas', [
        {
          Version: '1.0',
          RNCEmisor: '131880681',
          eNCF: 'E310000000002',
          FechaEmision: '01-04-2020',
          MontoTotal: '4674.35',
          RNCComprador: '133470616',
          Estado: '1',
          FechaHoraAprobacionComercial: '23-06-2026 17:45:47',
        },
      ]),
    ]);
    expect(kind).toBe('acecf');
    expect(cases[0]).toMatchObject({
      encf: 'E310000000002',
      rncComprador: '133470616',
      caseId: '133470616E310000000002',
    });
  });
});
