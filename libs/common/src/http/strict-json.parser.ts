/**
 * A strict, single-pass JSON reader for request bodies. JSON.parse cannot do what the API needs:
 * it keeps the last of two duplicate keys (so `"dryRun":true … "dryRun":false` reached DGII), it
 * recurses without a limit (2,000 nested arrays overflowed the stack further down the pipe), and
 * its SyntaxError quotes the input back (a password in a broken body ended up in the answer).
 *
 * This reader accepts exactly RFC 8259 JSON, returns the same values JSON.parse would, and fails
 * with a JsonBodyError that carries a position and, for duplicates, the key path, never any text
 * of the input beyond key names. Objects are plain objects; a `__proto__` key becomes an own data
 * property (as JSON.parse does), never the prototype.
 */

export type JsonBodyProblem = 'syntax' | 'depth' | 'duplicate-key';

export class JsonBodyError extends Error {
  constructor(
    readonly problem: JsonBodyProblem,
    /** UTF-16 index into the parsed text; the body reader turns it into a byte offset. */
    readonly index: number,
    /** For duplicate keys: the JSON path of the repeated key, e.g. `ecf.Encabezado.IdDoc.eNCF`. */
    readonly path?: string,
  ) {
    super(problem);
    this.name = 'JsonBodyError';
  }
}

/** Longest key path quoted in an error: a hostile key must not become a huge error body. */
const MAX_PATH_CHARS = 200;
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

function formatPath(segments: readonly (string | number)[]): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (IDENTIFIER.test(s)) out += out === '' ? s : `.${s}`;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out.length > MAX_PATH_CHARS ? `${out.slice(0, MAX_PATH_CHARS)}…` : out;
}

const ESCAPES: Record<number, string> = {
  0x22: '"',
  0x5c: '\\',
  0x2f: '/',
  0x62: '\b',
  0x66: '\f',
  0x6e: '\n',
  0x72: '\r',
  0x74: '\t',
};

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

const isJsonSpace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

class Reader {
  private i = 0;
  private readonly path: (string | number)[] = [];

  constructor(
    private readonly text: string,
    private readonly maxDepth: number,
  ) {}

  document(): unknown {
    this.skipSpace();
    const value = this.value(0);
    this.skipSpace();
    if (this.i < this.text.length) this.fail();
    return value;
  }

  private fail(at = this.i): never {
    throw new JsonBodyError('syntax', at);
  }

  private skipSpace(): void {
    const t = this.text;
    let i = this.i;
    while (isJsonSpace(t.charCodeAt(i))) i++;
    this.i = i;
  }

  private value(depth: number): unknown {
    const c = this.text.charCodeAt(this.i);
    switch (c) {
      case 0x7b /* { */:
        return this.object(depth + 1);
      case 0x5b /* [ */:
        return this.array(depth + 1);
      case 0x22 /* " */:
        return this.string();
      case 0x74 /* t */:
        return this.literal('true', true);
      case 0x66 /* f */:
        return this.literal('false', false);
      case 0x6e /* n */:
        return this.literal('null', null);
      default:
        if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.number();
        return this.fail();
    }
  }

  private literal<T>(word: string, value: T): T {
    if (!this.text.startsWith(word, this.i)) this.fail();
    this.i += word.length;
    return value;
  }

  private object(depth: number): Record<string, unknown> {
    if (depth > this.maxDepth) throw new JsonBodyError('depth', this.i);
    const t = this.text;
    const out: Record<string, unknown> = {};
    this.i++;
    this.skipSpace();
    if (t.charCodeAt(this.i) === 0x7d /* } */) {
      this.i++;
      return out;
    }
    for (;;) {
      if (t.charCodeAt(this.i) !== 0x22) this.fail();
      const keyAt = this.i;
      const key = this.string();
      this.skipSpace();
      if (t.charCodeAt(this.i) !== 0x3a /* : */) this.fail();
      this.i++;
      this.skipSpace();
      this.path.push(key);
      if (Object.prototype.hasOwnProperty.call(out, key)) {
        throw new JsonBodyError('duplicate-key', keyAt, formatPath(this.path));
      }
      const v = this.value(depth);
      this.path.pop();
      if (key === '__proto__') {
        Object.defineProperty(out, key, { value: v, writable: true, enumerable: true, configurable: true });
      } else {
        out[key] = v;
      }
      this.skipSpace();
      const c = t.charCodeAt(this.i);
      if (c === 0x2c /* , */) {
        this.i++;
        this.skipSpace();
      } else if (c === 0x7d /* } */) {
        this.i++;
        return out;
      } else {
        this.fail();
      }
    }
  }

  private array(depth: number): unknown[] {
    if (depth > this.maxDepth) throw new JsonBodyError('depth', this.i);
    const t = this.text;
    const out: unknown[] = [];
    this.i++;
    this.skipSpace();
    if (t.charCodeAt(this.i) === 0x5d /* ] */) {
      this.i++;
      return out;
    }
    for (;;) {
      this.path.push(out.length);
      out.push(this.value(depth));
      this.path.pop();
      this.skipSpace();
      const c = t.charCodeAt(this.i);
      if (c === 0x2c) {
        this.i++;
        this.skipSpace();
      } else if (c === 0x5d) {
        this.i++;
        return out;
      } else {
        this.fail();
      }
    }
  }

  private string(): string {
    const t = this.text;
    const start = ++this.i;
    let i = start;
    // Fast path: no escapes, one slice.
    for (;;) {
      const c = t.charCodeAt(i);
      if (c === 0x22) {
        this.i = i + 1;
        return t.slice(start, i);
      }
      if (c === 0x5c || c < 0x20 || Number.isNaN(c)) break;
      i++;
    }
    let out = t.slice(start, i);
    for (;;) {
      const c = t.charCodeAt(i);
      if (c === 0x22) {
        this.i = i + 1;
        return out;
      }
      // Raw control characters (and the end of input) are not allowed in a JSON string.
      if (c < 0x20 || Number.isNaN(c)) this.fail(i);
      if (c !== 0x5c) {
        let j = i + 1;
        for (;;) {
          const d = t.charCodeAt(j);
          if (d === 0x22 || d === 0x5c || d < 0x20 || Number.isNaN(d)) break;
          j++;
        }
        out += t.slice(i, j);
        i = j;
        continue;
      }
      const e = t.charCodeAt(i + 1);
      if (e === 0x75 /* u */) {
        let code = 0;
        for (let k = 2; k < 6; k++) {
          const h = hexValue(t.charCodeAt(i + k));
          if (h < 0) this.fail(i);
          code = code * 16 + h;
        }
        out += String.fromCharCode(code);
        i += 6;
      } else {
        const s = ESCAPES[e];
        if (s === undefined) this.fail(i);
        out += s;
        i += 2;
      }
    }
  }

  private number(): number {
    const t = this.text;
    const start = this.i;
    let i = start;
    if (t.charCodeAt(i) === 0x2d) i++;
    const first = t.charCodeAt(i);
    if (first === 0x30) i++;
    else if (first >= 0x31 && first <= 0x39) i = this.digits(i);
    else this.fail(i);
    if (t.charCodeAt(i) === 0x2e /* . */) {
      const j = this.digits(i + 1);
      if (j === i + 1) this.fail(j);
      i = j;
    }
    const e = t.charCodeAt(i);
    if (e === 0x65 || e === 0x45) {
      i++;
      const sign = t.charCodeAt(i);
      if (sign === 0x2b || sign === 0x2d) i++;
      const j = this.digits(i);
      if (j === i) this.fail(j);
      i = j;
    }
    this.i = i;
    return Number(t.slice(start, i));
  }

  private digits(from: number): number {
    const t = this.text;
    let i = from;
    for (;;) {
      const c = t.charCodeAt(i);
      if (c >= 0x30 && c <= 0x39) i++;
      else return i;
    }
  }
}

/**
 * Whether a text that JSON.parse accepts would also pass this reader: no object or array nested
 * deeper than `maxDepth`, no key twice in one object. Walks the text once, building nothing but
 * one key set per object. For valid JSON the answer is exact (a string followed by `:` is a key
 * of the innermost object); on anything odd it answers false and the Reader decides.
 */
function withinLimits(t: string, maxDepth: number): boolean {
  const keys: (Set<string> | undefined)[] = [];
  const n = t.length;
  // Strings are skipped with indexOf; only one holding a backslash is walked escape by escape.
  let backslash = t.indexOf('\\');
  if (backslash < 0) backslash = n;
  for (let i = 0; i < n; i++) {
    const c = t.charCodeAt(i);
    if (c === 0x22 /* " */) {
      const start = i + 1;
      const quote = t.indexOf('"', start);
      if (quote < 0) return false;
      const escaped = backslash < quote;
      if (!escaped) {
        i = quote;
      } else {
        for (i = start; ; i++) {
          const d = t.charCodeAt(i);
          if (d === 0x22) break;
          if (d === 0x5c) i++;
          else if (i >= n) return false;
        }
        backslash = t.indexOf('\\', i + 1);
        if (backslash < 0) backslash = n;
      }
      let j = i + 1;
      while (isJsonSpace(t.charCodeAt(j))) j++;
      if (t.charCodeAt(j) !== 0x3a /* : */) continue;
      const set = keys[keys.length - 1];
      if (set === undefined) return false;
      let key = t.slice(start, i);
      if (escaped) {
        try {
          key = JSON.parse(t.slice(start - 1, i + 1)) as string;
        } catch {
          return false;
        }
      }
      if (set.has(key)) return false;
      set.add(key);
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (keys.length >= maxDepth) return false;
      keys.push(c === 0x7b ? new Set() : undefined);
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      keys.pop();
    }
  }
  return true;
}

/**
 * Parses `text` as strict JSON with at most `maxDepth` nested objects/arrays. Throws
 * JsonBodyError (syntax, depth or duplicate-key); the recursion is bounded by `maxDepth`.
 *
 * A body within the limits is parsed by JSON.parse, which gives the same values (own `__proto__`
 * keys included) at 2–3× this reader's speed; every other body, and every one JSON.parse refuses,
 * goes through the reader, which says what is wrong and where without quoting the input.
 */
export function parseStrictJson(text: string, maxDepth: number): unknown {
  if (withinLimits(text, maxDepth)) {
    try {
      return JSON.parse(text);
    } catch {
      // Not JSON: the reader finds the position.
    }
  }
  return new Reader(text, maxDepth).document();
}
