import { santoDomingoDate, santoDomingoDateTime, santoDomingoIso } from './santo-domingo-time';

describe('Santo Domingo time (UTC-4, no DST; PROTOCOL §3.3)', () => {
  it('formats FechaHoraFirma as dd-MM-yyyy HH:mm:ss on a 24-hour clock', () => {
    expect(santoDomingoDateTime(new Date('2026-04-23T21:05:09.999Z'))).toBe('23-04-2026 17:05:09');
  });

  it('rolls the date back across midnight and the new year', () => {
    const instant = new Date('2026-01-01T03:30:00Z');
    expect(santoDomingoDateTime(instant)).toBe('31-12-2025 23:30:00');
    expect(santoDomingoDate(instant)).toBe('31-12-2025');
  });

  it('uses the same offset in northern summer (no DST)', () => {
    expect(santoDomingoDateTime(new Date('2026-07-15T16:00:00Z'))).toBe('15-07-2026 12:00:00');
  });

  it('agrees with Intl for America/Santo_Domingo over a year of instants', () => {
    const intl = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'America/Santo_Domingo',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    for (let t = Date.parse('2026-01-01T00:00:00Z'); t < Date.parse('2027-01-01T00:00:00Z'); t += 7_777_777) {
      const p = Object.fromEntries(intl.formatToParts(new Date(t)).map((x) => [x.type, x.value]));
      const expected = `${p.day}-${p.month}-${p.year} ${p.hour}:${p.minute}:${p.second}`;
      expect(santoDomingoDateTime(new Date(t))).toBe(expected);
    }
  });

  it('writes the same wall-clock reading as ISO-8601 with the -04:00 offset, which Date reads back', () => {
    const instant = new Date('2026-12-01T19:14:26.400Z');
    expect(santoDomingoDateTime(instant)).toBe('01-12-2026 15:14:26');
    expect(santoDomingoIso(instant)).toBe('2026-12-01T15:14:26-04:00');
    expect(new Date(santoDomingoIso(instant)).getTime()).toBe(Date.parse('2026-12-01T19:14:26Z'));
    expect(santoDomingoIso(new Date('2026-01-01T03:30:00Z'))).toBe('2025-12-31T23:30:00-04:00');
  });

  it('refuses an invalid Date', () => {
    expect(() => santoDomingoDateTime(new Date('nope'))).toThrow(RangeError);
  });
});
