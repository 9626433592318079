import { catalogueOf, childElements, type DocumentKind, type ElementDef } from '@app/xml-builder';

/**
 * DGII's workbooks name each column after an XSD element, with one bracketed index per repeated
 * element on its path (`NombreItem[3]` = the third Item's NombreItem, `MontoSubDescuento[1][2]`
 * = the second SubDescuento of the first Item; PROTOCOL §10). This turns a column into the
 * element path of one document kind, read from the catalogue so that any workbook of the same
 * shape works, whatever its values.
 */

/** One step of an element path; `index` is set on a repeated element (0-based). */
export interface PathStep {
  readonly name: string;
  readonly index?: number;
}

interface LeafTemplate {
  /** Names from below the root to the leaf. */
  readonly names: readonly string[];
  /** Which of `names` repeat (maxOccurs > 1), in path order. */
  readonly repeated: readonly boolean[];
}

const COLUMN = /^([A-Za-z][A-Za-z0-9]*)((?:\[\d+\])*)$/;

const repeats = (e: ElementDef): boolean => e.maxOccurs === 'unbounded' || e.maxOccurs > 1;

/**
 * Columns DGII's workbook names otherwise than the element: `NumeroLineaDoR` is the NumeroLinea of
 * a DescuentoORecargo (the Item's NumeroLinea keeps the plain name). Keyed lower-cased; the value
 * is the end of the element's path.
 */
const ALIASES: Readonly<Record<string, readonly string[]>> = {
  numerolineador: ['DescuentoORecargo', 'NumeroLinea'],
};

/**
 * Columns for containers, which hold no text of their own: known, and a value in one fits no
 * field (`SubtotalImpuestoAdicionalPaginaTabla` = Pagina's SubtotalImpuestoAdicional).
 */
const CONTAINER_COLUMNS: ReadonlySet<string> = new Set(['subtotalimpuestoadicionalpaginatabla']);

const endsWith = (names: readonly string[], suffix: readonly string[]): boolean =>
  suffix.every((n, i) => names[names.length - suffix.length + i] === n);

const templatesByKind = new Map<DocumentKind, Map<string, LeafTemplate[]>>();

/**
 * Leaf name, lower-cased → every path where it occurs in the kind's schema (usually one). DGII's
 * own workbook spells some columns otherwise than its XSDs (`ENCF` for `eNCF`, `MontosubRecargo`
 * for `MontoSubRecargo`), so names match without regard to case.
 */
function templatesOf(kind: DocumentKind): Map<string, LeafTemplate[]> {
  const cached = templatesByKind.get(kind);
  if (cached) return cached;
  const out = new Map<string, LeafTemplate[]>();
  const visit = (element: ElementDef, names: string[], repeated: boolean[]): void => {
    for (const child of childElements(element)) {
      const n = [...names, child.name];
      const r = [...repeated, repeats(child)];
      if (child.children) visit(child, n, r);
      else {
        const key = child.name.toLowerCase();
        out.set(key, [...(out.get(key) ?? []), { names: n, repeated: r }]);
      }
    }
  };
  visit(catalogueOf(kind).root, [], []);
  for (const [alias, suffix] of Object.entries(ALIASES)) {
    const key = suffix[suffix.length - 1].toLowerCase();
    const all = out.get(key) ?? [];
    const claimed = all.filter((t) => endsWith(t.names, suffix));
    if (claimed.length === 0) continue;
    out.set(alias, claimed);
    out.set(
      key,
      all.filter((t) => !claimed.includes(t)),
    );
  }
  templatesByKind.set(kind, out);
  return out;
}

export type ColumnPath =
  | { readonly ok: true; readonly steps: readonly PathStep[] }
  | { readonly ok: false; readonly reason: string };

/** Splits a header into its element name and 1-based indexes; undefined when it is not of that shape. */
export function parseColumn(header: string): { name: string; indexes: number[] } | undefined {
  const m = COLUMN.exec(header.trim());
  if (!m) return undefined;
  const indexes = [...m[2].matchAll(/\[(\d+)\]/g)].map((g) => Number(g[1]));
  return { name: m[1], indexes };
}

/** Is there any path for this column's element, with this many indexes, in the kind's schema? */
export function columnPath(kind: DocumentKind, header: string): ColumnPath {
  const parsed = parseColumn(header);
  if (!parsed) return { ok: false, reason: 'is not an element name with bracketed indexes' };
  if (CONTAINER_COLUMNS.has(parsed.name.toLowerCase()))
    return { ok: false, reason: 'names a container, which holds no value' };
  const candidates = (templatesOf(kind).get(parsed.name.toLowerCase()) ?? []).filter(
    (t) => t.repeated.filter(Boolean).length === parsed.indexes.length,
  );
  if (candidates.length === 0) return { ok: false, reason: `e-CF ${kind} has no such element` };
  if (candidates.length > 1) return { ok: false, reason: `names more than one element of ${kind}` };
  if (parsed.indexes.some((i) => i < 1)) return { ok: false, reason: 'indexes start at 1' };
  const indexes = [...parsed.indexes];
  const { names, repeated } = candidates[0];
  return {
    ok: true,
    steps: names.map((name, i) => (repeated[i] ? { name, index: (indexes.shift() ?? 1) - 1 } : { name })),
  };
}

/** Every leaf name (lower-cased) any of these kinds has: a column outside this set is foreign to DGII's workbooks. */
export function knownLeafNames(kinds: readonly DocumentKind[]): ReadonlySet<string> {
  const names = new Set<string>();
  for (const kind of kinds) for (const name of templatesOf(kind).keys()) names.add(name);
  for (const name of CONTAINER_COLUMNS) names.add(name);
  return names;
}

type Json = Record<string, unknown>;

/**
 * Puts `value` at `steps` in a DGII-shape JSON document, creating objects and arrays on the way
 * (`{DetallesItems: {Item: [{NombreItem: …}]}}`).
 */
export function setAtPath(root: Json, steps: readonly PathStep[], value: string): void {
  let current: Json = root;
  steps.forEach((step, i) => {
    const last = i === steps.length - 1;
    if (step.index === undefined) {
      if (last) current[step.name] = value;
      else {
        if (typeof current[step.name] !== 'object' || current[step.name] === null) current[step.name] = {};
        current = current[step.name] as Json;
      }
      return;
    }
    if (!Array.isArray(current[step.name])) current[step.name] = [];
    const list = current[step.name] as unknown[];
    if (last) list[step.index] = value;
    else {
      if (typeof list[step.index] !== 'object' || list[step.index] === null) list[step.index] = {};
      current = list[step.index] as Json;
    }
  });
}
