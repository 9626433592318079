import { compileXsdPatterns, type SimpleTypeDef } from '../catalogue';
import { decimalKey, digitCounts, exactDecimal } from './decimal-format';
import { codePointLength, escapeC14nText, unwritableCharacter } from './xml-text';

/**
 * Why a value cannot be written. `rule` is `xsd:<facet>` or `xsd:type` (422), or one of
 * `INPUT_RULES`: the request itself is malformed (400 VALIDATION_FAILED).
 */
export interface ValueError {
  readonly rule: string;
  readonly message: string;
}

/** `xml:char`: a character XML 1.0 cannot carry; `decimals`: more decimals than the field allows. */
export const INPUT_RULES: ReadonlySet<string> = new Set(['xml:char', 'decimals']);

/** Writes one JSON value of a simple type as escaped element text, or says why it cannot. */
export type ValueWriter = (value: unknown) => string | ValueError;

const INTEGER_LEXICAL = /^[+-]?\d+$/;
const DATE_LEXICAL = /^-?\d{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(Z|[+-]\d{2}:\d{2})?$/;
const DATETIME_LEXICAL =
  /^-?\d{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;

const INTEGER_RANGES: Readonly<Record<string, readonly [number, number]>> = {
  int: [-2147483648, 2147483647],
  short: [-32768, 32767],
  byte: [-128, 127],
  nonNegativeInteger: [0, Number.MAX_SAFE_INTEGER],
  positiveInteger: [1, Number.MAX_SAFE_INTEGER],
};

const fail = (rule: string, message: string): ValueError => ({ rule, message });

function describeEnumeration(id: string, values: readonly string[]): string {
  return values.length <= 12
    ? `must be one of ${values.join(', ')}`
    : `must be one of the ${values.length} codes of ${id}`;
}

/** Compiles a simple type into a writer once; the hot path is then a few comparisons and a regex test. */
export function compileValueWriter(id: string, type: SimpleTypeDef): ValueWriter {
  const numeric = type.base !== 'string' && type.base !== 'normalizedString' && type.base !== 'token';
  const pattern = type.patterns ? compileXsdPatterns(type.patterns) : undefined;
  const patternText = type.patterns?.join(' | ');
  const enumeration = type.enumeration ? new Set(type.enumeration) : undefined;
  const byNumber = new Map<string, string>();
  for (const literal of type.enumeration ?? []) {
    const key = decimalKey(literal);
    if (key !== undefined && !byNumber.has(key)) byNumber.set(key, literal);
  }
  const enumMessage = type.enumeration ? describeEnumeration(id, type.enumeration) : '';
  const min = type.minInclusive ?? type.minExclusive;
  const max = type.maxInclusive ?? type.maxExclusive;
  const minValue = min === undefined ? undefined : Number(min);
  const maxValue = max === undefined ? undefined : Number(max);
  const range = Object.hasOwn(INTEGER_RANGES, type.base) ? INTEGER_RANGES[type.base] : undefined;
  // Decimals written: the type's own count (2 for amounts, 4 or 3 where the schema allows them).
  const decimals = type.decimals ?? type.fractionDigits ?? 2;

  /** Facets shared by every base, applied to the lexical form that will be written. */
  const facets = (text: string): ValueError | undefined => {
    if (enumeration && !enumeration.has(text)) return fail('xsd:enumeration', enumMessage);
    if (type.length !== undefined || type.minLength !== undefined || type.maxLength !== undefined) {
      // Counting code points costs a loop; UTF-16 length decides most cases on its own.
      let n = text.length;
      if (type.length !== undefined || n > (type.maxLength ?? Infinity) || n < 2 * (type.minLength ?? 0)) {
        n = codePointLength(text);
      }
      if (type.length !== undefined && n !== type.length)
        return fail('xsd:length', `must be exactly ${type.length} characters`);
      if (type.minLength !== undefined && n < type.minLength) {
        return fail('xsd:minLength', `must be at least ${type.minLength} characters`);
      }
      if (type.maxLength !== undefined && n > type.maxLength) {
        return fail('xsd:maxLength', `must be at most ${type.maxLength} characters (has ${n})`);
      }
    }
    if (pattern && !pattern.test(text)) return fail('xsd:pattern', `must match the pattern ${patternText}`);
    if (numeric) {
      if (type.totalDigits !== undefined || type.fractionDigits !== undefined) {
        const digits = digitCounts(text);
        if (type.totalDigits !== undefined && digits.total > type.totalDigits) {
          return fail('xsd:totalDigits', `must have at most ${type.totalDigits} digits`);
        }
        if (type.fractionDigits !== undefined && digits.fraction > type.fractionDigits) {
          return fail('xsd:fractionDigits', `must have at most ${type.fractionDigits} decimals`);
        }
      }
      if (minValue !== undefined || maxValue !== undefined || range) {
        const n = Number(text);
        if (type.minInclusive !== undefined && n < (minValue as number))
          return fail('xsd:minInclusive', `must be ≥ ${min}`);
        if (type.minExclusive !== undefined && n <= (minValue as number))
          return fail('xsd:minExclusive', `must be > ${min}`);
        if (type.maxInclusive !== undefined && n > (maxValue as number))
          return fail('xsd:maxInclusive', `must be ≤ ${max}`);
        if (type.maxExclusive !== undefined && n >= (maxValue as number))
          return fail('xsd:maxExclusive', `must be < ${max}`);
        if (range && (n < range[0] || n > range[1])) return fail('xsd:type', `must be an xs:${type.base}`);
      }
    }
    return undefined;
  };

  /** An enumerated value given as a number (or a numeric string of a numeric type) → its XSD literal. */
  const enumLiteral = (value: unknown): string | undefined => {
    if (typeof value === 'string' && enumeration?.has(value)) return value;
    if (typeof value === 'number' || (numeric && typeof value === 'string')) {
      const key = decimalKey(value);
      return key === undefined ? undefined : byNumber.get(key);
    }
    return undefined;
  };

  switch (type.base) {
    case 'string':
    case 'normalizedString':
    case 'token':
      return (value) => {
        let text: string;
        if (typeof value === 'string') {
          const bad = unwritableCharacter(value);
          if (bad?.bidi)
            return fail(
              'xml:char',
              `contains ${bad.codePoint}, a bidirectional control that can make the printed text read differently from what is signed`,
            );
          if (bad)
            return fail('xml:char', `contains ${bad.codePoint}, which an XML 1.0 document cannot carry`);
          text = value;
        } else if (typeof value === 'number' && Number.isFinite(value)) {
          text = enumLiteral(value) ?? String(value);
        } else {
          return fail('xsd:type', 'must be a string');
        }
        return facets(text) ?? escapeC14nText(text);
      };
    case 'decimal':
      return (value) => {
        if (enumeration) {
          const literal = enumLiteral(value);
          return (
            literal ??
            (typeof value === 'number' || typeof value === 'string'
              ? fail('xsd:enumeration', enumMessage)
              : fail('xsd:type', 'must be a number'))
          );
        }
        const exact = exactDecimal(value, decimals);
        if (exact === undefined)
          return fail('xsd:type', 'must be a decimal number (JSON number or a string like "1234.56")');
        // Never rounded: the signed document says exactly what was sent (PROTOCOL §4.2).
        if (exact.places !== undefined)
          return fail('decimals', `must have at most ${decimals} decimals (has ${exact.places})`);
        const text = exact.text;
        return facets(text) ?? text;
      };
    case 'boolean':
      return (value) => {
        if (value === true || value === 'true' || value === 1 || value === '1') return 'true';
        if (value === false || value === 'false' || value === 0 || value === '0') return 'false';
        return fail('xsd:type', 'must be true or false');
      };
    case 'date':
    case 'dateTime':
      return (value) => {
        const lexical = type.base === 'date' ? DATE_LEXICAL : DATETIME_LEXICAL;
        if (typeof value !== 'string' || !lexical.test(value))
          return fail('xsd:type', `must be an xs:${type.base}`);
        return facets(value) ?? value;
      };
    default:
      // xs:integer and its built-in restrictions.
      return (value) => {
        let text: string;
        if (enumeration) {
          const literal = enumLiteral(value);
          if (literal !== undefined) return facets(literal) ?? literal;
        }
        if (typeof value === 'number') {
          if (!Number.isSafeInteger(value)) return fail('xsd:type', 'must be a whole number');
          text = String(value);
        } else if (typeof value === 'string' && INTEGER_LEXICAL.test(value)) {
          text = value;
        } else {
          return fail('xsd:type', 'must be a whole number');
        }
        return facets(text) ?? text;
      };
  }
}
