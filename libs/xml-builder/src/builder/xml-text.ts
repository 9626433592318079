/**
 * Text rules of the canonical writer. The document is written exactly as inclusive C14N 1.0 would
 * serialise it, so the signer can digest the bytes as they are (PROTOCOL §3.2, crypto-lab §2.4).
 */

/** C14N 1.0 text escaping (`&`, `<`, `>`, CR; quotes stay literal), shared with the signer. */
export { escapeXmlText as escapeC14nText } from '@app/signing';

/**
 * Characters a document text may not carry, found in one scan:
 * - what XML 1.0 forbids (controls, lone surrogates, U+FFFE/U+FFFF) plus U+0085, U+2028 and
 *   U+2029, which DOM-based verifiers rewrite to LF and then fail to verify (crypto-lab §2.5 #2);
 * - bidirectional controls (U+202A–U+202E embeddings/overrides, U+2066–U+2069 isolates): legal
 *   XML, but they make a printed invoice read differently from the signed characters (the
 *   "Trojan Source" reordering).
 */
const UNWRITABLE =
  /[^\t\n\r\x20-\u0084\u0086-\u2027\u202F-\u2065\u206A-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

export interface UnwritableCharacter {
  /** `U+XXXX`. */
  readonly codePoint: string;
  /** A bidirectional control (legal XML), rather than a character XML cannot carry. */
  readonly bidi: boolean;
}

/** The first character of a text that no document may carry, or undefined when the text is clean. */
export function unwritableCharacter(text: string): UnwritableCharacter | undefined {
  const m = UNWRITABLE.exec(text);
  if (!m) return undefined;
  const cp = m[0].codePointAt(0) ?? 0;
  return {
    codePoint: `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`,
    bidi: (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069),
  };
}

/** Length in characters (code points), as XSD length facets count. */
export function codePointLength(text: string): number {
  let n = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}
