import { cents, centsToAmount, formatAmount, lineItbis, printable } from './ri-text';

describe('RI amounts and text', () => {
  it('groups thousands and keeps the decimals written (PROTOCOL §4.2)', () => {
    expect(formatAmount('1357.00')).toBe('1,357.00');
    expect(formatAmount('9999999999999999.99')).toBe('9,999,999,999,999,999.99');
    expect(formatAmount('0.5')).toBe('0.50');
    expect(formatAmount('112.5000')).toBe('112.5000');
    expect(formatAmount('58.5', 4)).toBe('58.5000');
  });

  it('adds 16-digit amounts exactly in BigInt cents', () => {
    expect(centsToAmount(cents('9999999999999999.99') + cents('0.01'))).toBe('10000000000000000.00');
    expect(centsToAmount(cents('-1.05'))).toBe('-1.05');
  });

  it('computes a line ITBIS half-up, on top of or inside MontoItem (IndicadorMontoGravado)', () => {
    expect(lineItbis('225.00', 18, false)).toBe('40.50');
    expect(lineItbis('0.25', 18, false)).toBe('0.05'); // 0.045 → 0.05
    expect(lineItbis('118.00', 18, true)).toBe('18.00');
    expect(lineItbis('100.00', 0, false)).toBe('0.00');
  });

  it('prints line breaks as spaces, drops controls and bidi marks, and each emoji as one □', () => {
    expect(printable('Línea 1\r\nLínea 2\tfin')).toBe('Línea 1 Línea 2 fin');
    expect(printable('a\u202Eb\u0007c')).toBe('abc');
    expect(printable('Hola 😀 👍🏽 👨‍👩‍👧 🇩🇴 ❤️ fin')).toBe('Hola □ □ □ □ □ fin');
    expect(printable('ñ á € & < > " \'')).toBe('ñ á € & < > " \'');
    expect(printable('x\u4E2Dy', (cp) => cp < 0x3000)).toBe('x□y');
  });
});
