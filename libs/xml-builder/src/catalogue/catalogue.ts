import type { DocumentDef, ElementDef, ParticleDef, SimpleTypeDef } from './catalogue.types';
import {
  CURRENT_VERSION,
  DOCUMENT_KINDS,
  DOCUMENT_VERSIONS,
  ECF_TYPES,
  SIMPLE_TYPES,
  type DocumentKind,
  type EcfType,
} from './ecf-catalogue.generated';

const KINDS: ReadonlySet<string> = new Set(DOCUMENT_KINDS);
const TYPES: ReadonlySet<string> = new Set(ECF_TYPES);

export function isDocumentKind(value: unknown): value is DocumentKind {
  return typeof value === 'string' && KINDS.has(value);
}

export function isEcfType(value: unknown): value is EcfType {
  return typeof value === 'string' && TYPES.has(value);
}

/**
 * The catalogue entry of one (kind, schema version); by default the kind's current version, the
 * one the builder writes. Every version in the XSD folder has its entry, so two versions of a kind
 * are served side by side.
 */
export function catalogueOf(kind: DocumentKind, version: string = CURRENT_VERSION[kind]): DocumentDef {
  const def = DOCUMENT_VERSIONS[kind]?.[version];
  if (!def) throw new Error(`the catalogue has no ${kind} schema of version ${version}`);
  return def;
}

/** The schema versions of a kind in the catalogue, oldest first. */
export function schemaVersionsOf(kind: DocumentKind): string[] {
  return Object.keys(DOCUMENT_VERSIONS[kind] ?? {});
}

/** Every (kind, version) entry of the catalogue: what the XSD validator compiles. */
export function catalogueEntries(): DocumentDef[] {
  return DOCUMENT_KINDS.flatMap((kind) => Object.values(DOCUMENT_VERSIONS[kind]));
}

export function simpleTypeOf(element: ElementDef): SimpleTypeDef | undefined {
  return element.type === undefined ? undefined : SIMPLE_TYPES[element.type];
}

/** The element particles directly under a container, choices flattened (for lookups, not for order checks). */
export function childElements(element: ElementDef): ElementDef[] {
  const out: ElementDef[] = [];
  const visit = (p: ParticleDef): void => {
    if (p.kind === 'element') out.push(p);
    else if (p.kind === 'choice') p.branches.forEach((b) => b.forEach(visit));
  };
  element.children?.forEach(visit);
  return out;
}

/**
 * The element at a path of element names below the root (`['Encabezado', 'IdDoc', 'TipoPago']`),
 * or undefined when that document kind (in that schema version, by default the current one) has
 * no such element.
 */
export function findElement(
  kind: DocumentKind,
  path: readonly string[],
  version?: string,
): ElementDef | undefined {
  let current: ElementDef | undefined = catalogueOf(kind, version).root;
  for (const name of path) {
    current = current && childElements(current).find((c) => c.name === name);
  }
  return current;
}

/** Does this kind's schema have the element at a dotted path below the root (`Encabezado.IdDoc.TipoPago`)? */
export function hasElement(kind: DocumentKind, dottedPath: string, version?: string): boolean {
  return findElement(kind, dottedPath.split('.'), version) !== undefined;
}
