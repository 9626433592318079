/** Amounts and text as the RI prints them. Amounts stay decimal strings: never floats (PROTOCOL §4.2). */

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/** `1357.5` → `1,357.50` (at least 2 decimals; PrecioUnitarioItem keeps its 4, PROTOCOL §4.2). */
export function formatAmount(value: string | undefined, minDecimals = 2): string {
  if (value === undefined) return '';
  const m = DECIMAL.exec(value.trim());
  if (!m) return value;
  const [, sign, int, frac = ''] = m;
  const grouped = int.replace(/^0+(?=\d)/, '').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${grouped}.${frac.padEnd(minDecimals, '0')}`;
}

/** Integer cents of a 2-decimal amount (BigInt: 16 integer digits exceed 2^53, PROTOCOL §4.2). */
export function cents(value: string | undefined): bigint {
  if (!value) return 0n;
  const m = DECIMAL.exec(value.trim());
  if (!m) return 0n;
  const [, sign, int, frac = ''] = m;
  const c = BigInt(int) * 100n + BigInt((frac + '00').slice(0, 2));
  return sign === '-' ? -c : c;
}

export function centsToAmount(c: bigint): string {
  const neg = c < 0n;
  const abs = neg ? -c : c;
  return `${neg ? '-' : ''}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
}

/** Half-up division of a BigInt (IT §13 rounding). */
function divRound(n: bigint, d: bigint): bigint {
  return (n * 2n + d) / (2n * d);
}

/**
 * The ITBIS of one line for the ITBIS column (PROTOCOL §4.4): MontoItem × rate, or the ITBIS
 * included in MontoItem when IndicadorMontoGravado is 1. Display only: the document's totals are
 * printed as written.
 */
export function lineItbis(montoItem: string, ratePercent: number, amountsIncludeItbis: boolean): string {
  const m = cents(montoItem);
  const r = BigInt(ratePercent);
  const itbis = amountsIncludeItbis ? m - divRound(m * 100n, 100n + r) : divRound(m * r, 100n);
  return centsToAmount(itbis);
}

// Emoji and their joiners/modifiers: DGII allows them in text, no receipt font draws them
// (issue 12 §2): each emoji sequence prints as one "□".
const EMOJI_SEQUENCE =
  /(?:\p{Extended_Pictographic}|\p{Regional_Indicator})(?:[\u{FE0F}\u{20E3}\u{1F3FB}-\u{1F3FF}]|\u{200D}(?:\p{Extended_Pictographic}|\p{Regional_Indicator})|\p{Regional_Indicator})*/gu;

/** Text one line can print: line breaks and tabs to spaces, controls dropped, emoji replaced. */
export function printable(value: string | undefined, hasGlyph?: (codePoint: number) => boolean): string {
  if (!value) return '';
  // Emoji first: their joiners (U+200D) are among the invisible marks dropped next.
  const cleaned = value
    .replace(EMOJI_SEQUENCE, '□')
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/[\u0000-\u001F\u007F-\u009F\u200B-\u200F\u2028-\u202E\u2066-\u2069\uFE00-\uFE0F]/g, '');
  if (!hasGlyph) return cleaned;
  let out = '';
  for (const ch of cleaned) out += hasGlyph(ch.codePointAt(0) ?? 0) ? ch : '□';
  return out;
}
