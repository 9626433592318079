import { entries, get, isAbsent, isObject, violation } from './rule-helpers';
import type { BusinessRule, RuleContext, Violation } from './rule.types';

/**
 * What a type requires or forbids beyond (or in agreement with) its XSD. `path` is dotted below
 * the root; `Item[]` means every item line.
 */
export interface PresenceEntry {
  readonly path: string;
  readonly presence: 'required' | 'forbidden';
  /** PROTOCOL.md section that says so. */
  readonly section: string;
}

function locate(ctx: RuleContext, path: string): { path: string; parent: unknown; name: string }[] {
  const [head, ...rest] = path.split('[].');
  if (rest.length === 0) {
    const dot = path.lastIndexOf('.');
    return [
      { path, parent: dot < 0 ? ctx.doc : get(ctx.doc, path.slice(0, dot)), name: path.slice(dot + 1) },
    ];
  }
  // One level of repetition is enough for the tables (`DetallesItems.Item[].Retencion`).
  const dot = head.lastIndexOf('.');
  const container = dot < 0 ? ctx.doc : get(ctx.doc, head.slice(0, dot));
  const tail = rest.join('[].');
  const tailDot = tail.lastIndexOf('.');
  return entries(container, head.slice(dot + 1)).map((e) => ({
    path: `${head.slice(0, dot + 1)}${e.segment}.${tail}`,
    parent: tailDot < 0 ? e.value : get(e.value, tail.slice(0, tailDot)),
    name: tail.slice(tailDot + 1),
  }));
}

/** `section-required` / `section-forbidden`: the per-type presence table of a rules module. */
export function presenceRules(table: readonly PresenceEntry[]): BusinessRule[] {
  const make = (presence: 'required' | 'forbidden'): BusinessRule => {
    const rows = table.filter((r) => r.presence === presence);
    const id = `section-${presence}`;
    return {
      id,
      section: [...new Set(rows.map((r) => r.section))].join(', '),
      description: `${presence === 'required' ? 'Required' : 'Forbidden'} here: ${rows.map((r) => r.path).join(', ') || '—'}`,
      check(ctx): Violation[] {
        return rows.flatMap((row) =>
          locate(ctx, row.path).flatMap((at) => {
            const value = isObject(at.parent) ? at.parent[at.name] : undefined;
            const absent = isAbsent(value) || (Array.isArray(value) && value.length === 0);
            if (presence === 'required' && absent && (isObject(at.parent) || !row.path.includes('.'))) {
              return [violation(ctx, at.path, id, `is required in ${label(ctx)} (${row.section})`)];
            }
            if (presence === 'forbidden' && !absent) {
              return [violation(ctx, at.path, id, `must not appear in ${label(ctx)} (${row.section})`)];
            }
            return [];
          }),
        );
      },
    };
  };
  return [make('required'), make('forbidden')];
}

const label = (ctx: RuleContext): string => (/^\d+$/.test(ctx.kind) ? `e-CF ${ctx.kind}` : ctx.kind);
