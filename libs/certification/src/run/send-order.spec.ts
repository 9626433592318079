import type { EcfCase } from '../workbook/workbook-cases';
import { sendOrder } from './send-order';

const ecfCase = (row: number, tipo: string, encf: string, modifies?: string): EcfCase =>
  ({
    kind: 'ecf',
    row,
    tipo,
    encf,
    caseId: encf,
    rncEmisor: '1',
    ecf: {},
    viaRfce: false,
    cells: new Map(),
    ...(modifies ? { modifies } : {}),
  }) as EcfCase;

describe('send order (PROTOCOL §10)', () => {
  it('sends every document before the notes, notes after their originals, else workbook order', () => {
    const cases = [
      ecfCase(2, '33', 'E330000000001', 'E320000000006'),
      ecfCase(3, '32', 'E320000000006'),
      ecfCase(4, '34', 'E340000000013', 'E330000000001'),
      ecfCase(5, '31', 'E310000000004'),
      ecfCase(6, '34', 'E340000000018', 'E310000000099'),
    ];
    expect(sendOrder(cases).map((c) => c.row)).toEqual([3, 5, 2, 4, 6]);
  });
});
