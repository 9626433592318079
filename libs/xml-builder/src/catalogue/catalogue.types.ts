/**
 * Shape of the e-CF catalogue: the official DGII XSDs reduced to what a writer and a validator
 * need. `ecf-catalogue.generated.ts` is data of these types, produced by
 * `npm run catalogue` (scripts/generate-catalogue.ts) from a DGII XSD folder, one entry per
 * (kind, schema version), and drift-checked by `catalogue.spec.ts`.
 */

/** XSD built-in types that appear as a restriction base or as an element type. */
export type XsdBuiltin =
  | 'string'
  | 'normalizedString'
  | 'token'
  | 'decimal'
  | 'integer'
  | 'int'
  | 'long'
  | 'short'
  | 'byte'
  | 'nonNegativeInteger'
  | 'positiveInteger'
  | 'boolean'
  | 'date'
  | 'dateTime';

/** One simple type with every facet the XSD gives it. Facet values stay as the XSD's literals. */
export interface SimpleTypeDef {
  /** The XSD name, trimmed (DGII's e-CF 31 has `" IndicadorServicioTodoIncluidoType"`). */
  readonly name: string;
  readonly base: XsdBuiltin;
  /** Alternatives (XSD ORs several patterns of one restriction step). Verbatim XSD regex. */
  readonly patterns?: readonly string[];
  readonly enumeration?: readonly string[];
  /** The XSD comment written beside each enumeration value, when there is one ('' otherwise). */
  readonly enumerationLabels?: readonly string[];
  readonly length?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly totalDigits?: number;
  readonly fractionDigits?: number;
  readonly minInclusive?: string;
  readonly maxInclusive?: string;
  readonly minExclusive?: string;
  readonly maxExclusive?: string;
  /**
   * Decimal types only: how many fraction digits the builder writes — the largest count ≤
   * `fractionDigits` that the type's pattern accepts (2 for amounts, 4 for PrecioUnitarioItem
   * and TipoCambio, 3 for Subcantidad). PROTOCOL §4.2.
   */
  readonly decimals?: number;
}

export type MaxOccurs = number | 'unbounded';

/** An element of a sequence: a leaf (with `type`) or a container (with `children`). */
export interface ElementDef {
  readonly kind: 'element';
  readonly name: string;
  readonly minOccurs: number;
  readonly maxOccurs: MaxOccurs;
  /** Key into the catalogue's `simpleTypes` table (leaves only). */
  readonly type?: string;
  /** Particles of the element's anonymous complex type, in XSD sequence order (containers only). */
  readonly children?: readonly ParticleDef[];
}

/** `xs:choice`: exactly one branch (a sequence of particles) may appear. */
export interface ChoiceDef {
  readonly kind: 'choice';
  readonly minOccurs: number;
  readonly maxOccurs: MaxOccurs;
  readonly branches: readonly (readonly ParticleDef[])[];
}

/** `xs:any processContents="skip"`: in every DGII schema this is the slot of the XMLDSig Signature. */
export interface AnyDef {
  readonly kind: 'any';
  readonly minOccurs: number;
  readonly maxOccurs: MaxOccurs;
}

export type ParticleDef = ElementDef | ChoiceDef | AnyDef;

/** One document kind: an e-CF type ('31'…'47'), 'RFCE', 'ACECF', 'ARECF', 'ANECF' or 'Semilla'. */
export interface DocumentDef {
  readonly kind: string;
  /** File name in the XSD folder the definition was generated from (the validator compiles it). */
  readonly schemaFile: string;
  /** The version in the file name (`e-CF-31-v1.0.xsd` → `'1.0'`); with `kind`, the entry's key. */
  readonly schemaVersion: string;
  readonly root: ElementDef;
}

export interface CatalogueData {
  /** Per kind, its current (newest) version. */
  readonly documents: Readonly<Record<string, DocumentDef>>;
  /** Per kind and schema version (`'1.0'`), every schema read: versions are served side by side. */
  readonly versions: Readonly<Record<string, Readonly<Record<string, DocumentDef>>>>;
  readonly simpleTypes: Readonly<Record<string, SimpleTypeDef>>;
}

/*
 * Constructors the generated module is written with: one short line per element keeps the
 * generated catalogue small and readable (`el('FormaDePago', 1, 7, [el('FormaPago', 1, 1, 'FormaPagoType'), …])`).
 */

/** An element: `content` is a simple-type id (leaf) or the particles of its sequence (container). */
export function el(
  name: string,
  minOccurs: number,
  maxOccurs: MaxOccurs,
  content: string | readonly ParticleDef[],
): ElementDef {
  return typeof content === 'string'
    ? { kind: 'element', name, minOccurs, maxOccurs, type: content }
    : { kind: 'element', name, minOccurs, maxOccurs, children: content };
}

export function choice(
  minOccurs: number,
  maxOccurs: MaxOccurs,
  branches: readonly (readonly ParticleDef[])[],
): ChoiceDef {
  return { kind: 'choice', minOccurs, maxOccurs, branches };
}

export function any(minOccurs: number, maxOccurs: MaxOccurs): AnyDef {
  return { kind: 'any', minOccurs, maxOccurs };
}
