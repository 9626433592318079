import { NotFoundError, RunInProgressError } from '@app/common';
import { paso5Documents } from './paso5';
import type { CaseDocuments, CaseProgress, CaseState, RunView } from './run.model';

const progress = (
  row: number,
  tipo: string,
  state: CaseState,
  route: 'ecf' | 'rfce' = 'ecf',
): CaseProgress => ({
  row,
  caseId: `case-${row}`,
  tipo,
  encf: `E${tipo}00000000${row}`,
  route,
  state,
  sendOrder: null,
  trackId: null,
  dgiiEstado: null,
  mensajes: [],
  error: null,
  validatedAt: null,
  sentAt: null,
  decidedAt: null,
});

const docOf = (c: CaseProgress): CaseDocuments => ({
  row: c.row,
  tipo: c.tipo,
  encf: c.encf,
  fileName: `131793916${c.encf}.xml`,
  signedXml: `<ECF>${c.encf}</ECF>`,
  securityCode: 'abc123',
  signedAt: '2026-04-01T10:00:00-04:00',
  ...(c.route === 'rfce' ? { rfceSignedXml: `<RFCE>${c.encf}</RFCE>` } : {}),
});

const runOf = (cases: CaseProgress[], over: Partial<RunView> = {}): RunView => ({
  runId: 'r1',
  kind: 'ecf',
  mode: 'send',
  environment: 'CERTIFICATION',
  status: 'passed',
  createdAt: '2026-04-01T10:00:00-04:00',
  finishedAt: null,
  stoppedAt: null,
  dgiiUploads: cases.length,
  cases,
  ...over,
});

describe('paso5Documents (PROTOCOL §10, Paso 5)', () => {
  it('takes the first accepted case of each slot, type 32 split by whether it went as RFCE', () => {
    const cases = [
      progress(2, '31', 'Rechazado'),
      progress(3, '31', 'Aceptado'),
      progress(4, '31', 'Aceptado'),
      progress(5, '32', 'Aceptado Condicional'),
      progress(6, '32', 'Aceptado', 'rfce'),
      progress(7, '33', 'sent'),
    ];
    const set = paso5Documents(runOf(cases), cases.map(docOf));
    expect(set.map((d) => [d.slot, d.document.row, d.rfce])).toEqual([
      ['31', 3, false],
      ['32>=250k', 5, false],
      ['32<250k', 6, true],
    ]);
  });

  it('a validate run offers its validated cases, as a rehearsal', () => {
    const cases = [progress(2, '31', 'validated'), progress(3, '34', 'failed')];
    const set = paso5Documents(runOf(cases, { mode: 'validate', status: 'failed' }), cases.map(docOf));
    expect(set.map((d) => d.slot)).toEqual(['31']);
  });

  it('nothing to print: 409 while the run runs, 404 after; an approvals run has no RIs', () => {
    const cases = [progress(2, '31', 'sent')];
    expect(() => paso5Documents(runOf(cases, { status: 'running' }), cases.map(docOf))).toThrow(
      RunInProgressError,
    );
    expect(() => paso5Documents(runOf(cases, { status: 'rejected' }), cases.map(docOf))).toThrow(
      NotFoundError,
    );
    expect(() => paso5Documents(runOf(cases, { kind: 'acecf' }), [])).toThrow(/commercial-approval run/);
  });
});
