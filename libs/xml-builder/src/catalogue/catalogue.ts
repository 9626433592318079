import type { ElementDef, ParticleDef, SimpleTypeDef } from './catalogue.types';
import {
  DOCUMENT_KINDS,
  DOCUMENTS,
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
 * or undefined when that document kind has no such element.
 */
export function findElement(kind: DocumentKind, path: readonly string[]): ElementDef | undefined {
  let current: ElementDef | undefined = DOCUMENTS[kind].root;
  for (const name of path) {
    current = current && childElements(current).find((c) => c.name === name);
  }
  return current;
}

/** Does this kind's schema have the element at a dotted path below the root (`Encabezado.IdDoc.TipoPago`)? */
export function hasElement(kind: DocumentKind, dottedPath: string): boolean {
  return findElement(kind, dottedPath.split('.')) !== undefined;
}
