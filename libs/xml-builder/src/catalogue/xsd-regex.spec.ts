import { compileXsdPatterns, UnsupportedXsdPatternError, xsdPatternToJsSource } from './xsd-regex';

describe('XSD pattern translation', () => {
  const matches = (pattern: string, value: string): boolean => compileXsdPatterns([pattern]).test(value);

  it('matches the whole value', () => {
    expect(matches('[0-9]{11}|[0-9]{9}', '131793916')).toBe(true);
    expect(matches('[0-9]{11}|[0-9]{9}', '1317939160')).toBe(false);
    expect(matches('\\d{3}-\\d{3}-\\d{4}', '809-555-1234x')).toBe(false);
  });

  it('reads \\w, \\s, \\d and . as XSD does', () => {
    expect(matches('\\w+', 'ñandú€5')).toBe(true);
    expect(matches('\\w+', 'a_b')).toBe(false); // '_' is punctuation (Pc)
    expect(matches('\\w+', 'a b')).toBe(false);
    expect(matches('[\\s\\d\\w]{1,15}', '30 días')).toBe(true);
    expect(matches('\\d+', '٣')).toBe(true); // any Unicode digit
    expect(matches('.{6}', 'AB+/=\u00e9')).toBe(true);
    expect(matches('.{2}', 'a\n')).toBe(false);
  });

  it('accepts the .NET constructs DGII schemas use: (?:…) and ^…$', () => {
    expect(matches('[0-9]{1,16}(?:.[0-9]{2})?', '12.50')).toBe(true);
    expect(matches('^[a-zA-ZñÑáéíóúÁÉÍÓÚ,\\s]*$', 'José Pérez')).toBe(true);
    expect(matches('(3[01]|[12][0-9]|0?[1-9])\\-(1[012]|0?[1-9])\\-((?:20|20)\\d{2})', '01-02-2026')).toBe(
      true,
    );
  });

  it('ORs several patterns', () => {
    const re = compileXsdPatterns(['a+', 'b+']);
    expect(re.test('aaa')).toBe(true);
    expect(re.test('ab')).toBe(false);
  });

  it('refuses what it cannot translate faithfully', () => {
    expect(() => xsdPatternToJsSource('\\i\\c*')).toThrow(UnsupportedXsdPatternError);
    expect(() => xsdPatternToJsSource('[a-z-[aeiou]]')).toThrow(UnsupportedXsdPatternError);
    expect(() => xsdPatternToJsSource('[\\S]')).toThrow(UnsupportedXsdPatternError);
  });
});
