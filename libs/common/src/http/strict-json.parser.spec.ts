import fc from 'fast-check';
import { JsonBodyError, parseStrictJson } from './strict-json.parser';

const parse = (text: string, depth = 64) => parseStrictJson(text, depth);

function errorOf(text: string, depth = 64): JsonBodyError {
  try {
    parse(text, depth);
  } catch (error) {
    if (error instanceof JsonBodyError) return error;
    throw error;
  }
  throw new Error(`parsed: ${text}`);
}

describe('parseStrictJson', () => {
  it('returns what JSON.parse returns for any JSON without duplicate keys', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), fc.boolean(), (value, pretty) => {
        const text = JSON.stringify(value, null, pretty ? 2 : undefined);
        expect(parse(text)).toEqual(JSON.parse(text));
      }),
      { numRuns: 500 },
    );
  });

  it('agrees with JSON.parse on damaged JSON: its value when valid, an error when not', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), fc.nat(), fc.nat(), (value, at, drop) => {
        const text = JSON.stringify(value);
        const i = at % (text.length + 1);
        // Drop one character, or double one: quotes, colons, backslashes and brackets all get hit.
        const damaged =
          drop % 2 ? text.slice(0, i) + text.slice(i + 1) : text.slice(0, i) + text[i] + text.slice(i);
        let expected: unknown;
        try {
          expected = JSON.parse(damaged);
        } catch {
          // Whichever comes first in the text: the broken syntax, or a key it repeats before.
          expect(['syntax', 'duplicate-key']).toContain(errorOf(damaged).problem);
          return;
        }
        try {
          expect(parse(damaged)).toEqual(expected);
        } catch (error) {
          // JSON.parse keeps the last of a doubled key; this reader refuses it.
          expect(error).toMatchObject({ problem: 'duplicate-key' });
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('finds a repeated key at any depth, also when strings around it hold quotes, colons and escapes', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.string(), (value, key) => {
        const inner = JSON.stringify({ [key]: value, pad: 'a\\":\\"b' }).slice(1);
        const text = `{"x":[{"s":"{\\"k\\":1}"},{${JSON.stringify(key)}:0,${inner}]}`;
        expect(errorOf(text).problem).toBe('duplicate-key');
      }),
      { numRuns: 500 },
    );
  });

  it('reads every escape and number form as JSON.parse does', () => {
    for (const text of [
      '"a\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u00e9\\uD83D\\uDE00\\u0000"',
      '[0, -0, 1.5, -1.25e+3, 2E-2, 1e400, 123456789012345678901234567890]',
      ' { "a" : [ true , false , null ] } ',
      '"\\ud800"',
    ]) {
      expect(parse(text)).toEqual(JSON.parse(text));
    }
  });

  it.each([
    ['{"a":1,}', 7],
    ['[1,]', 3],
    ["{'a':1}", 1],
    ['{"a" 1}', 5],
    ['01', 1],
    ['-', 1],
    ['1.', 2],
    ['1e', 2],
    ['.5', 0],
    ['tru', 0],
    ['"a\\x"', 2],
    ['"\\u12g4"', 1],
    ['"a\u0001"', 2],
    ['"abc', 4],
    ['{"a":1}x', 7],
    ['', 0],
    ['NaN', 0],
  ])('refuses %j at index %d', (text, index) => {
    expect(errorOf(text)).toMatchObject({ problem: 'syntax', index });
  });

  it('never quotes the input in its error', () => {
    const error = errorOf('{"password":TopSecretPw-9}');
    expect(`${error.message} ${error.path ?? ''}`).not.toContain('TopSecret');
    expect(error.index).toBe(12);
  });

  it('allows exactly maxDepth nested containers', () => {
    expect(parse(`${'['.repeat(64)}${']'.repeat(64)}`)).toBeInstanceOf(Array);
    expect(errorOf(`${'['.repeat(65)}${']'.repeat(65)}`)).toMatchObject({ problem: 'depth', index: 64 });
    expect(errorOf(`${'{"a":'.repeat(3)}1}}}`, 2)).toMatchObject({ problem: 'depth' });
    // Far beyond the stack: refused at the limit, no RangeError.
    expect(errorOf('['.repeat(1_000_000)).problem).toBe('depth');
  });

  it('refuses a duplicate key and names its path', () => {
    expect(errorOf('{"dryRun":true,"x":1,"dryRun":false}')).toMatchObject({
      problem: 'duplicate-key',
      path: 'dryRun',
      index: 21,
    });
    expect(errorOf('{"ecf":{"Items":[{"a":1},{"b":1,"b":2}]}}').path).toBe('ecf.Items[1].b');
    expect(errorOf('{"a b":{"x":1,"x":1}}').path).toBe('["a b"].x');
    // Escapes are compared decoded, as JSON.parse would have merged them.
    expect(errorOf('{"a":1,"\\u0061":2}').path).toBe('a');
    expect(errorOf(`{"${'k'.repeat(5000)}":1,"${'k'.repeat(5000)}":2}`).path?.length).toBeLessThanOrEqual(
      201,
    );
  });

  it('keeps __proto__ as an own property, never as the prototype', () => {
    const value = parse('{"__proto__":{"polluted":true},"a":{"__proto__":[]}}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(['__proto__', 'a']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((value as { polluted?: unknown }).polluted).toBeUndefined();
    expect(Object.getOwnPropertyDescriptor(value, '__proto__')?.value).toEqual({ polluted: true });
    expect(errorOf('{"__proto__":1,"__proto__":2}').path).toBe('__proto__');
  });

  it('treats constructor, toString and hasOwnProperty as ordinary keys', () => {
    const value = parse('{"hasOwnProperty":1,"toString":2,"constructor":3}');
    expect(value).toEqual(JSON.parse('{"hasOwnProperty":1,"toString":2,"constructor":3}'));
    expect(errorOf('{"hasOwnProperty":1,"hasOwnProperty":2}').problem).toBe('duplicate-key');
  });
});
