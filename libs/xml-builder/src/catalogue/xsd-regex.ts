/**
 * XSD `pattern` → JavaScript RegExp, with the reading DGII's own validator (.NET) gives them:
 * XSD class escapes (`\d` = Unicode digit, `\w` = every character except punctuation, separators
 * and "other", `\s` = space/tab/CR/LF, `.` = anything but CR/LF), the whole value must match,
 * .NET non-capturing groups `(?:…)` are accepted (RFCE, ACECF) and `^`/`$` are anchors
 * (Alfa20Type in e-CF 33/34). PROTOCOL §12: DGII validates with .NET; xsd/SOURCES.md lists the
 * places where libxml2 reads the same patterns differently.
 */

// \w in XSD is [#x0000-#x10FFFF]-[\p{P}\p{Z}\p{C}], i.e. the categories L, M, N and S.
const CLASS_ESCAPES_IN_SET: Readonly<Record<string, string>> = {
  d: '\\p{Nd}',
  D: '\\P{Nd}',
  w: '\\p{L}\\p{M}\\p{N}\\p{S}',
  W: '\\p{P}\\p{Z}\\p{C}',
  s: ' \\t\\n\\r',
};

const CLASS_ESCAPES: Readonly<Record<string, string>> = {
  d: '\\p{Nd}',
  D: '\\P{Nd}',
  w: '[\\p{L}\\p{M}\\p{N}\\p{S}]',
  W: '[\\p{P}\\p{Z}\\p{C}]',
  s: '[ \\t\\n\\r]',
  S: '[^ \\t\\n\\r]',
};

const SINGLE_ESCAPES: Readonly<Record<string, string>> = { n: '\\n', r: '\\r', t: '\\t' };

/** Characters that must stay escaped in a JS `u`-mode regex. */
const JS_SYNTAX = new Set(['\\', '^', '$', '.', '|', '?', '*', '+', '(', ')', '[', ']', '{', '}', '/', '-']);

export class UnsupportedXsdPatternError extends Error {}

function translateEscape(pattern: string, i: number, inSet: boolean): string {
  const c = pattern[i + 1];
  if (c === undefined) throw new UnsupportedXsdPatternError(`dangling backslash in ${pattern}`);
  const table = inSet ? CLASS_ESCAPES_IN_SET : CLASS_ESCAPES;
  if (table[c] !== undefined) return table[c];
  if (SINGLE_ESCAPES[c] !== undefined) return SINGLE_ESCAPES[c];
  if (c === 'p' || c === 'P') {
    const end = pattern.indexOf('}', i);
    if (pattern[i + 2] !== '{' || end < 0) throw new UnsupportedXsdPatternError(`bad \\${c} in ${pattern}`);
    return pattern.slice(i, end + 1);
  }
  if (JS_SYNTAX.has(c)) return c === '-' && !inSet ? '-' : `\\${c}`;
  // \i, \c (XML name characters), \S inside a set and anything else would need a richer translation.
  throw new UnsupportedXsdPatternError(`unsupported escape \\${c} in ${pattern}`);
}

/** Translates one XSD pattern into the source of an unanchored JS `u`-mode regex. */
export function xsdPatternToJsSource(pattern: string): string {
  let out = '';
  let inSet = false;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '\\') {
      out += translateEscape(pattern, i, inSet);
      i += pattern[i + 1] === 'p' || pattern[i + 1] === 'P' ? pattern.indexOf('}', i) - i : 1;
    } else if (inSet) {
      if (ch === '[') throw new UnsupportedXsdPatternError(`character-class subtraction in ${pattern}`);
      if (ch === ']') inSet = false;
      out += ch;
    } else if (ch === '[') {
      inSet = true;
      out += ch;
      if (pattern[i + 1] === '^') out += pattern[++i];
    } else if (ch === '.') {
      out += '[^\\n\\r]';
    } else if (ch === '/') {
      out += '\\/';
    } else {
      out += ch;
    }
  }
  if (inSet) throw new UnsupportedXsdPatternError(`unterminated character class in ${pattern}`);
  return out;
}

/** One RegExp matching a whole value against any of the restriction's patterns (XSD ORs them). */
export function compileXsdPatterns(patterns: readonly string[]): RegExp {
  const alternatives = patterns.map((p) => `(?:${xsdPatternToJsSource(p)})`).join('|');
  return new RegExp(`^(?:${alternatives})$`, 'u');
}
