import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import type {
  CatalogueData,
  DocumentDef,
  ElementDef,
  MaxOccurs,
  ParticleDef,
  SimpleTypeDef,
  XsdBuiltin,
} from './catalogue.types';
import { compileXsdPatterns } from './xsd-regex';

/**
 * Reads the official DGII XSDs into catalogue data. Used by `scripts/generate-catalogue.ts` and by
 * the drift check; never on the request path. Supports what the DGII schemas use (and a little
 * more, so a new schema version fails loudly rather than silently): named and inline simple types
 * restricting XSD built-ins, anonymous complex types with `xs:sequence` / `xs:choice`, occurrence
 * bounds, and the trailing `xs:any` that holds the Signature.
 */

export interface XsdSource {
  readonly fileName: string;
  readonly text: string;
}

/** A schema file's document kind and version, from DGII's file naming (xsd/SOURCES.md). */
export function kindOfSchemaFile(fileName: string): { kind: string; version: string } | undefined {
  const ecf = /^e-CF-(\d{2})-v(\d+(?:\.\d+)*)\.xsd$/.exec(fileName);
  if (ecf) return { kind: ecf[1], version: ecf[2] };
  const other = /^([A-Za-z]+)(?:-\d{2})?-v(\d+(?:\.\d+)*)\.xsd$/.exec(fileName);
  return other ? { kind: other[1], version: other[2] } : undefined;
}

/** e-CF types first (ascending), then the other documents alphabetically. */
export function compareKinds(a: string, b: string): number {
  const na = /^\d+$/.test(a);
  const nb = /^\d+$/.test(b);
  if (na !== nb) return na ? -1 : 1;
  return na ? Number(a) - Number(b) : a.localeCompare(b, 'en');
}

/** Numeric, part by part: 1.2 < 1.10. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Top-level `.xsd` files of a folder (not `libxml2-compat/`), as raw text. */
export function readXsdSources(xsdDir: string): XsdSource[] {
  return readdirSync(xsdDir)
    .filter((f) => f.endsWith('.xsd'))
    .sort()
    .map((fileName) => ({ fileName, text: readFileSync(join(xsdDir, fileName), 'utf8') }));
}

// fast-xml-parser's preserveOrder output: each node is { tag: children[], ':@'?: attributes }.
type XNode = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  preserveOrder: true,
  commentPropName: '#comment',
  parseAttributeValue: false,
  parseTagValue: false,
  trimValues: true,
});

function tagOf(node: XNode): string | undefined {
  return Object.keys(node).find((k) => k !== ':@');
}

function childrenOf(node: XNode): XNode[] {
  const tag = tagOf(node);
  const value = tag === undefined ? undefined : node[tag];
  return Array.isArray(value) ? (value as XNode[]) : [];
}

function attrs(node: XNode): Record<string, string> {
  return (node[':@'] as Record<string, string> | undefined) ?? {};
}

function commentText(node: XNode): string {
  const parts = childrenOf(node)
    .map((c) => c['#text'])
    .filter((t): t is string => typeof t === 'string');
  return parts.join(' ').replace(/\s+/g, ' ').trim();
}

const BUILTINS: ReadonlySet<string> = new Set<XsdBuiltin>([
  'string',
  'normalizedString',
  'token',
  'decimal',
  'integer',
  'int',
  'long',
  'short',
  'byte',
  'nonNegativeInteger',
  'positiveInteger',
  'boolean',
  'date',
  'dateTime',
]);

function builtin(qname: string, where: string): XsdBuiltin {
  const local = qname.replace(/^xs:/, '');
  if (!qname.startsWith('xs:') || !BUILTINS.has(local)) {
    throw new Error(`${where}: unsupported XSD built-in type ${qname}`);
  }
  return local as XsdBuiltin;
}

function occurs(value: string | undefined, where: string): number {
  if (value === undefined) return 1;
  const n = Number(value.trim());
  if (!Number.isInteger(n) || n < 0) throw new Error(`${where}: bad occurrence ${value}`);
  return n;
}

function maxOccurs(value: string | undefined, where: string): MaxOccurs {
  return value?.trim() === 'unbounded' ? 'unbounded' : occurs(value, where);
}

const INT_FACETS = ['length', 'minLength', 'maxLength', 'totalDigits', 'fractionDigits'] as const;
const VALUE_FACETS = ['minInclusive', 'maxInclusive', 'minExclusive', 'maxExclusive'] as const;
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Number of fraction digits the builder writes: the largest ≤ fractionDigits the pattern accepts. */
export function decimalsOf(type: Omit<SimpleTypeDef, 'decimals'>): number | undefined {
  // An enumerated decimal (Version "1.0") is written as its enumeration literal.
  if (type.base !== 'decimal' || type.enumeration) return undefined;
  const matcher = type.patterns ? compileXsdPatterns(type.patterns) : undefined;
  for (let n = type.fractionDigits ?? 6; n >= 0; n--) {
    const probe = n === 0 ? '1' : `1.${'0'.repeat(n)}`;
    if (!matcher || matcher.test(probe)) return n;
  }
  throw new Error(`${type.name}: no number of decimals satisfies the pattern`);
}

function parseSimpleType(node: XNode, name: string, where: string): SimpleTypeDef {
  const restriction = childrenOf(node).find((c) => tagOf(c) === 'xs:restriction');
  const other = childrenOf(node).find((c) => ['xs:list', 'xs:union'].includes(tagOf(c) ?? ''));
  if (!restriction || other) throw new Error(`${where}: only xs:restriction simple types are supported`);
  const def: Mutable<SimpleTypeDef> = { name, base: builtin(attrs(restriction).base ?? '', where) };
  const patterns: string[] = [];
  const enumeration: string[] = [];
  const labels: string[] = [];
  let lastWasEnum = false;
  for (const facet of childrenOf(restriction)) {
    const tag = tagOf(facet);
    if (tag === '#comment') {
      // DGII writes the meaning of an enumeration value in the comment that follows it.
      if (lastWasEnum && labels[labels.length - 1] === '') labels[labels.length - 1] = commentText(facet);
      continue;
    }
    lastWasEnum = tag === 'xs:enumeration';
    const value = attrs(facet).value;
    const local = tag?.replace(/^xs:/, '') ?? '';
    if (tag === 'xs:pattern') patterns.push(value);
    else if (tag === 'xs:enumeration') {
      enumeration.push(value);
      labels.push('');
    } else if ((INT_FACETS as readonly string[]).includes(local)) {
      def[local as (typeof INT_FACETS)[number]] = Number(value);
    } else if ((VALUE_FACETS as readonly string[]).includes(local)) {
      def[local as (typeof VALUE_FACETS)[number]] = value;
    } else if (tag !== '#text') {
      throw new Error(`${where}: unsupported facet ${tag}`);
    }
  }
  if (patterns.length) def.patterns = patterns;
  if (enumeration.length) {
    def.enumeration = enumeration;
    if (labels.some((l) => l !== '')) def.enumerationLabels = labels;
  }
  const decimals = decimalsOf(def);
  if (decimals !== undefined) def.decimals = decimals;
  return def;
}

/** Identity of a type for deduplication: every facet except the human labels. */
function typeKey(def: SimpleTypeDef): string {
  const { enumerationLabels: _labels, name: _name, ...facets } = def;
  return JSON.stringify(facets);
}

class TypeTable {
  readonly types: Record<string, SimpleTypeDef> = {};
  private readonly idsByKey = new Map<string, string>();

  /**
   * Adds a definition under its XSD name; a different definition of the same name gets `name@kind`,
   * and one that differs again in another version of that kind `name@kind-vX.Y`. Schemas are read
   * oldest version first, so adding a version never renames the types of the versions before it.
   */
  intern(def: SimpleTypeDef, kind: string, version: string): string {
    const key = `${def.name}\u0000${typeKey(def)}`;
    const known = this.idsByKey.get(key);
    if (known) return known;
    const id = [def.name, `${def.name}@${kind}`, `${def.name}@${kind}-v${version}`].find(
      (candidate) => this.types[candidate] === undefined,
    );
    if (id === undefined) throw new Error(`type id clash ${def.name}@${kind}-v${version}`);
    this.types[id] = def;
    this.idsByKey.set(key, id);
    return id;
  }
}

class SchemaReader {
  private readonly namedTypes = new Map<string, XNode>();

  constructor(
    private readonly source: XsdSource,
    private readonly kind: string,
    private readonly version: string,
    private readonly table: TypeTable,
    private readonly schema: XNode,
  ) {
    for (const child of childrenOf(schema)) {
      if (tagOf(child) === 'xs:simpleType') this.namedTypes.set((attrs(child).name ?? '').trim(), child);
      else if (tagOf(child) === 'xs:complexType')
        throw new Error(`${source.fileName}: named complex types unsupported`);
    }
  }

  root(): ElementDef {
    const roots = childrenOf(this.schema).filter((c) => tagOf(c) === 'xs:element');
    if (roots.length !== 1) throw new Error(`${this.source.fileName}: expected exactly one root element`);
    return this.element(roots[0], '');
  }

  private typeId(qname: string, where: string): string {
    const name = qname.trim();
    if (name.startsWith('xs:')) {
      return this.table.intern({ name, base: builtin(name, where) }, this.kind, this.version);
    }
    const node = this.namedTypes.get(name);
    if (!node) throw new Error(`${where}: unknown type ${name}`);
    return this.table.intern(
      parseSimpleType(node, name, `${this.source.fileName} ${name}`),
      this.kind,
      this.version,
    );
  }

  private element(node: XNode, parentPath: string): ElementDef {
    const a = attrs(node);
    const name = (a.name ?? '').trim();
    const where = `${this.source.fileName} ${parentPath}/${name}`;
    if (!name || a.ref !== undefined) throw new Error(`${where}: element refs are unsupported`);
    const base = {
      kind: 'element' as const,
      name,
      minOccurs: occurs(a.minOccurs, where),
      maxOccurs: maxOccurs(a.maxOccurs, where),
    };
    const inner = childrenOf(node).filter(
      (c) => !['#comment', '#text', 'xs:annotation'].includes(tagOf(c) ?? ''),
    );
    if (a.type !== undefined) {
      if (inner.length) throw new Error(`${where}: both a type attribute and an inline type`);
      return { ...base, type: this.typeId(a.type, where) };
    }
    if (inner.length !== 1) throw new Error(`${where}: expected one inline type`);
    const [def] = inner;
    if (tagOf(def) === 'xs:simpleType') {
      const type = parseSimpleType(def, `${name}~inline`, where);
      return { ...base, type: this.table.intern(type, this.kind, this.version) };
    }
    if (tagOf(def) !== 'xs:complexType') throw new Error(`${where}: unsupported ${tagOf(def)}`);
    const groups = childrenOf(def).filter(
      (c) => !['#comment', '#text', 'xs:annotation'].includes(tagOf(c) ?? ''),
    );
    if (groups.length !== 1 || !['xs:sequence', 'xs:choice'].includes(tagOf(groups[0]) ?? '')) {
      throw new Error(`${where}: complex types must hold one xs:sequence or xs:choice (no attributes)`);
    }
    return { ...base, children: this.group(groups[0], `${parentPath}/${name}`) };
  }

  /** Particles of a sequence (a choice at the top of a complex type becomes one choice particle). */
  private group(node: XNode, path: string): ParticleDef[] {
    if (tagOf(node) === 'xs:choice') return [this.choice(node, path)];
    const a = attrs(node);
    if (occurs(a.minOccurs, path) !== 1 || maxOccurs(a.maxOccurs, path) !== 1) {
      throw new Error(`${this.source.fileName} ${path}: repeated sequences are unsupported`);
    }
    const out: ParticleDef[] = [];
    for (const child of childrenOf(node)) {
      const tag = tagOf(child);
      if (tag === 'xs:element') out.push(this.element(child, path));
      else if (tag === 'xs:choice') out.push(this.choice(child, path));
      else if (tag === 'xs:sequence') out.push(...this.group(child, path));
      else if (tag === 'xs:any') {
        const ca = attrs(child);
        if ((ca.processContents ?? 'strict').trim() !== 'skip')
          throw new Error(`${path}: xs:any must be skip`);
        out.push({
          kind: 'any',
          minOccurs: occurs(ca.minOccurs, path),
          maxOccurs: maxOccurs(ca.maxOccurs, path),
        });
      } else if (tag !== '#comment' && tag !== '#text' && tag !== 'xs:annotation') {
        throw new Error(`${this.source.fileName} ${path}: unsupported ${tag}`);
      }
    }
    return out;
  }

  private choice(node: XNode, path: string): ParticleDef {
    const a = attrs(node);
    const branches: ParticleDef[][] = [];
    for (const child of childrenOf(node)) {
      const tag = tagOf(child);
      if (tag === 'xs:element') branches.push([this.element(child, path)]);
      else if (tag === 'xs:sequence') branches.push(this.group(child, path));
      else if (tag !== '#comment' && tag !== '#text' && tag !== 'xs:annotation') {
        throw new Error(`${this.source.fileName} ${path}: unsupported ${tag} in xs:choice`);
      }
    }
    return {
      kind: 'choice',
      minOccurs: occurs(a.minOccurs, path),
      maxOccurs: maxOccurs(a.maxOccurs, path),
      branches,
    };
  }
}

/**
 * Parses the given schemas (BOM and CRLF tolerated) into catalogue data: every (kind, version)
 * in `versions`, and in `documents` each kind's newest version, the one built and checked by
 * default. Two files for one (kind, version) are an error.
 */
export function parseXsdCatalogue(sources: readonly XsdSource[]): CatalogueData {
  const byKind = new Map<string, Map<string, XsdSource>>();
  for (const source of sources) {
    const id = kindOfSchemaFile(source.fileName);
    if (!id) throw new Error(`cannot tell the document kind of ${source.fileName}`);
    const versions = byKind.get(id.kind) ?? new Map<string, XsdSource>();
    const seen = versions.get(id.version);
    if (seen)
      throw new Error(`two schemas for ${id.kind} v${id.version}: ${seen.fileName}, ${source.fileName}`);
    byKind.set(id.kind, versions.set(id.version, source));
  }
  const table = new TypeTable();
  const documents: Record<string, DocumentDef> = {};
  const versions: Record<string, Record<string, DocumentDef>> = {};
  for (const kind of [...byKind.keys()].sort(compareKinds)) {
    const sourcesOfKind = byKind.get(kind) as Map<string, XsdSource>;
    versions[kind] = {};
    for (const version of [...sourcesOfKind.keys()].sort(compareVersions)) {
      const source = sourcesOfKind.get(version) as XsdSource;
      const text = source.text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
      const schema = (parser.parse(text) as XNode[]).find((n) => tagOf(n) === 'xs:schema');
      if (!schema) throw new Error(`${source.fileName}: no xs:schema`);
      const root = new SchemaReader(source, kind, version, table, schema).root();
      versions[kind][version] = { kind, schemaFile: source.fileName, schemaVersion: version, root };
      documents[kind] = versions[kind][version];
    }
  }
  return { documents, versions, simpleTypes: table.types };
}
