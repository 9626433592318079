/**
 * Decimal text handled as digits, never through binary floating point arithmetic: a JS number is
 * first turned into its shortest round-trip string (`String(1.005)` is "1.005", `String(1e-7)` is
 * "1e-7"). Amounts the integrator sends are never rounded: `decimalPlaces` tells the writer how
 * many significant decimals a value has, so one with more than its field allows is refused
 * (VALIDATION_FAILED), and `formatDecimal` then only pads. Its half-up rounding (IT §13 via
 * PROTOCOL §4.2) serves amounts we derive ourselves.
 */

const DECIMAL_LEXICAL = /^([+-]?)(\d*)(?:\.(\d*))?$/;
const NUMBER_STRING = /^(-?)(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/;

interface DecimalParts {
  readonly negative: boolean;
  readonly int: string;
  readonly frac: string;
}

/** Splits a JSON number or a plain decimal string (`-12.5`, `.5`, `7.`) into digits; undefined if neither. */
export function decimalParts(value: unknown): DecimalParts | undefined {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return undefined;
    const m = NUMBER_STRING.exec(String(value));
    if (!m) return undefined;
    let int = m[2];
    let frac = m[3] ?? '';
    const exp = m[4] === undefined ? 0 : Number(m[4]);
    if (exp > 0) {
      frac = frac.padEnd(exp, '0');
      int += frac.slice(0, exp);
      frac = frac.slice(exp);
    } else if (exp < 0) {
      const padded = int.padStart(-exp + 1, '0');
      frac = padded.slice(padded.length + exp) + frac;
      int = padded.slice(0, padded.length + exp);
    }
    return { negative: m[1] === '-', int, frac };
  }
  if (typeof value !== 'string') return undefined;
  const m = DECIMAL_LEXICAL.exec(value);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return undefined;
  return { negative: m[1] === '-', int: m[2], frac: m[3] ?? '' };
}

function increment(digits: string): string {
  const chars = digits.split('');
  for (let i = chars.length - 1; i >= 0; i--) {
    if (chars[i] !== '9') {
      chars[i] = String.fromCharCode(chars[i].charCodeAt(0) + 1);
      return chars.join('');
    }
    chars[i] = '0';
  }
  return `1${chars.join('')}`;
}

/** The digits of `parts` as fixed-point text with exactly `decimals` fraction digits, rounded half-up. */
function fixedText(parts: DecimalParts, decimals: number): string {
  let digits = parts.int + parts.frac.slice(0, decimals).padEnd(decimals, '0');
  if (parts.frac.length > decimals && parts.frac.charCodeAt(decimals) >= 53 /* '5' */)
    digits = increment(digits);
  const cut = digits.length - decimals;
  const int = digits.slice(0, cut).replace(/^0+(?=\d)/, '') || '0';
  const text = decimals === 0 ? int : `${int}.${digits.slice(cut)}`;
  return parts.negative && /[1-9]/.test(digits) ? `-${text}` : text;
}

/** Fixed-point text with exactly `decimals` fraction digits, rounded half-up; undefined if not a number. */
export function formatDecimal(value: unknown, decimals: number): string | undefined {
  // Fast path: whole numbers, the most common amount in practice.
  if (typeof value === 'number' && Number.isSafeInteger(value)) {
    return decimals === 0 ? String(value) : `${value}.${'0'.repeat(decimals)}`;
  }
  const parts = decimalParts(value);
  return parts && fixedText(parts, decimals);
}

/** Count of significant fraction digits (trailing zeros do not count). */
function significantDecimals(frac: string): number {
  let n = frac.length;
  while (n > 0 && frac.charCodeAt(n - 1) === 48 /* '0' */) n--;
  return n;
}

/**
 * What the writer needs of an integrator's amount, from one parse: its text with exactly
 * `decimals` fraction digits, never rounded (only padded), or `{places}` when it has more
 * significant decimals than that; undefined if it is not a number.
 */
export function exactDecimal(
  value: unknown,
  decimals: number,
): { text: string; places?: undefined } | { places: number } | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value)) {
    return { text: formatDecimal(value, decimals) as string };
  }
  const parts = decimalParts(value);
  if (!parts) return undefined;
  const places = significantDecimals(parts.frac);
  return places > decimals ? { places } : { text: fixedText(parts, decimals) };
}

/** Significant decimals (trailing zeros do not count: "1.50" has 1); undefined if not a number. */
export function decimalPlaces(value: unknown): number | undefined {
  // Fast path: whole numbers, the most common amount in practice.
  if (typeof value === 'number' && Number.isSafeInteger(value)) return 0;
  const parts = decimalParts(value);
  return parts && significantDecimals(parts.frac);
}

/** Canonical text of a numeric value, so 1, "1.00" and "01" compare equal and 1.001 does not; undefined if not a number. */
export function decimalKey(value: unknown): string | undefined {
  const parts = decimalParts(value);
  if (!parts) return undefined;
  const int = parts.int.replace(/^0+/, '') || '0';
  const frac = parts.frac.replace(/0+$/, '');
  const text = frac ? `${int}.${frac}` : int;
  return parts.negative && text !== '0' ? `-${text}` : text;
}

/** XSD totalDigits / fractionDigits of a decimal literal, measured in value space. */
export function digitCounts(text: string): { total: number; fraction: number } {
  const parts = decimalParts(text);
  if (!parts) return { total: Infinity, fraction: Infinity };
  const int = parts.int.replace(/^0+/, '');
  const frac = parts.frac.replace(/0+$/, '');
  return { total: int.length + frac.length || 1, fraction: frac.length };
}

/** Number value of a JSON number or decimal string (for range checks and business rules). */
export function decimalValue(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  return typeof value === 'string' && decimalParts(value) ? Number(value) : undefined;
}
