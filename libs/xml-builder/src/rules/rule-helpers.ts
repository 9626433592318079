import { decimalValue } from '../builder/decimal-format';
import type { RuleContext, Violation } from './rule.types';

export type JsonObject = Readonly<Record<string, unknown>>;

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export const isAbsent = (v: unknown): boolean => v === undefined || v === null || v === '';

/** Value at a dotted path of element names (single objects only). */
// Rules read the same few dozen dotted paths on every document: split each once.
const SEGMENTS = new Map<string, readonly string[]>();

export function get(obj: unknown, path: string): unknown {
  let segments = SEGMENTS.get(path);
  if (!segments) {
    segments = path.split('.');
    SEGMENTS.set(path, segments);
  }
  let current: unknown = obj;
  for (const name of segments) {
    if (!isObject(current)) return undefined;
    current = current[name];
  }
  return current;
}

/** A repeated element as a list: DGII JSON accepts one object where maxOccurs > 1. */
export function list(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  return isAbsent(value) ? [] : [value];
}

/** Objects of a repeated element, with their JSON path segment (`Item[3]`, or `Item` for a single object). */
export function entries(parent: unknown, name: string): { value: JsonObject; segment: string }[] {
  const raw = isObject(parent) ? parent[name] : undefined;
  if (Array.isArray(raw)) {
    return raw.flatMap((value, i) => (isObject(value) ? [{ value, segment: `${name}[${i}]` }] : []));
  }
  return isObject(raw) ? [{ value: raw, segment: name }] : [];
}

/** Number value of an amount given as JSON number or decimal string; undefined when absent or not numeric. */
export const num = (v: unknown): number | undefined => decimalValue(v);

/** Like `num`, but an absent amount counts as 0 (an omitted total is a zero total). */
export const amount = (v: unknown): number => decimalValue(v) ?? 0;

/** Differs by more than `tolerance` units (plus float noise). */
export const differs = (a: number, b: number, tolerance: number): boolean =>
  Math.abs(a - b) > tolerance + 1e-9;

export const money = (n: number): string => (Math.round(n * 100) / 100).toFixed(2);

/** Exact-to-the-cent tolerance for sums of stated amounts. */
export const CENT = 0.005;

/**
 * IT §12 / §13 (PROTOCOL §4.2): DGII rounds each amount half-up to the cent and computes a total
 * by rounding the sum of the unrounded amounts, so a stated total may differ from the sum of its
 * `terms` rounded amounts by half a cent per term plus half a cent for its own rounding (0.01 for
 * one or two terms). Never a whole unit: a difference of 1.00 is a wrong total, not rounding.
 */
export const roundingTolerance = (terms: number): number => Math.min(0.005 * (Math.max(1, terms) + 1), 0.99);

export function violation(ctx: RuleContext, path: string, rule: string, message: string): Violation {
  return { path: path ? `${ctx.prefix}.${path}` : ctx.prefix, message, rule };
}

/** `dd-MM-yyyy` (1-digit day/month accepted, PROTOCOL §4.2) → comparable yyyymmdd number. */
export function dateKey(v: unknown): number | undefined {
  if (typeof v !== 'string') return undefined;
  const m = /^(\d{1,2})-(\d{1,2})-(\d{4})$/.exec(v);
  return m ? Number(m[3]) * 10000 + Number(m[2]) * 100 + Number(m[1]) : undefined;
}

export interface ItemView {
  readonly value: JsonObject;
  readonly path: string;
}

const itemCache = new WeakMap<RuleContext, ItemView[]>();

/** The item lines, computed once per rule run (many rules read them). */
export function items(ctx: RuleContext): ItemView[] {
  let cached = itemCache.get(ctx);
  if (!cached) {
    cached = entries(get(ctx.doc, 'DetallesItems'), 'Item').map((e) => ({
      value: e.value,
      path: `DetallesItems.${e.segment}`,
    }));
    itemCache.set(ctx, cached);
  }
  return cached;
}

/** Memoises a value derived from the document, once per rule run. */
export function memo<T>(compute: (ctx: RuleContext) => T): (ctx: RuleContext) => T {
  const cache = new WeakMap<RuleContext, T>();
  return (ctx) => {
    if (!cache.has(ctx)) cache.set(ctx, compute(ctx));
    return cache.get(ctx) as T;
  };
}
