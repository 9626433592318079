import {
  DGII_FILE_NAME,
  dgiiDateFromIso,
  dgiiDateTime,
  dgiiUploadFileName,
  environmentSegment,
  ITBIS_RATE_PERCENT,
  RFCE_THRESHOLD_DOP,
} from '.';

describe('DGII wire facts', () => {
  it('names upload files {RNC}{eNCF}.xml (DT p.59, PROTOCOL §1.2)', () => {
    expect(dgiiUploadFileName('131880738', 'E310000000001')).toBe('131880738E310000000001.xml');
    expect(DGII_FILE_NAME.test(dgiiUploadFileName('131880738', 'E310000000001'))).toBe(true);
    expect(DGII_FILE_NAME.test(dgiiUploadFileName('40209547971', 'E310000000001'))).toBe(true);
    expect(DGII_FILE_NAME.test('1318807E310000000001.xml')).toBe(false);
  });

  it('puts the RFCE threshold at RD$250,000.00 and the ITBIS rates at 18/16/0 (PROTOCOL §4.4, §5)', () => {
    expect(RFCE_THRESHOLD_DOP).toBe(250_000);
    expect(ITBIS_RATE_PERCENT).toEqual({ 1: 18, 2: 16, 3: 0 });
    expect(Object.isFrozen(ITBIS_RATE_PERCENT)).toBe(true);
  });

  it('maps each environment to its URL segment (PROTOCOL §1.1)', () => {
    expect(environmentSegment('TEST')).toBe('testecf');
    expect(environmentSegment('CERTIFICATION')).toBe('certecf');
    expect(environmentSegment('PRODUCTION')).toBe('ecf');
  });

  it('turns yyyy-MM-dd into dd-MM-yyyy and nothing else', () => {
    expect(dgiiDateFromIso('2026-04-24')).toBe('24-04-2026');
    expect(dgiiDateFromIso('24-04-2026')).toBeUndefined();
    expect(dgiiDateFromIso('2026-04-24T00:00:00')).toBeUndefined();
  });

  it('writes DGII date-times in Dominican time and passes text through', () => {
    expect(dgiiDateTime(new Date(Date.UTC(2026, 3, 24, 18, 5, 9)))).toBe('24-04-2026 14:05:09');
    expect(dgiiDateTime('01-01-2026 00:00:00')).toBe('01-01-2026 00:00:00');
    expect(() => dgiiDateTime(new Date('nope'))).toThrow(RangeError);
  });
});
