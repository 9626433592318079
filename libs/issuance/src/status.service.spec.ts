import { fechaRecepcionIso } from './status.service';

describe('fechaRecepcionIso (PROTOCOL §1.4: US style, Santo Domingo time)', () => {
  it.each([
    ['8/15/2023 6:06:57 AM', '2023-08-15T06:06:57-04:00'],
    ['10/8/2026 11:22:49 AM', '2026-10-08T11:22:49-04:00'],
    ['1/1/2026 12:00:00 AM', '2026-01-01T00:00:00-04:00'],
    ['1/1/2026 12:30:05 PM', '2026-01-01T12:30:05-04:00'],
    ['12/1/2026 1:30:05 PM', '2026-12-01T13:30:05-04:00'],
  ])('%s → %s, the same instant for Date', (dgii, iso) => {
    expect(fechaRecepcionIso(dgii)).toBe(iso);
    expect(Number.isNaN(new Date(iso).getTime())).toBe(false);
  });

  it('leaves any other form as DGII wrote it', () => {
    expect(fechaRecepcionIso('2026-12-01T10:00:00')).toBe('2026-12-01T10:00:00');
    expect(fechaRecepcionIso('13/1/2026 1:00:00 PM')).toBe('13/1/2026 1:00:00 PM');
  });
});
