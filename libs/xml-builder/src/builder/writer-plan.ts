import {
  DOCUMENT_KINDS,
  DOCUMENTS,
  SIMPLE_TYPES,
  type DocumentKind,
  type ElementDef,
  type MaxOccurs,
  type ParticleDef,
} from '../catalogue';
import { compileValueWriter, type ValueWriter } from './value-writer';
import { FACT_NAMES } from './written-facts';

/**
 * Writer plans: the catalogue compiled once at module load into per-kind trees with the start and
 * end tags, occurrence bounds and a precompiled value writer (RegExps included) on every node, so
 * building a document is a walk with string concatenation and no lookups by name.
 */

export interface LeafPlan {
  readonly kind: 'leaf';
  readonly name: string;
  readonly open: string;
  readonly close: string;
  readonly minOccurs: number;
  readonly maxOccurs: number;
  readonly typeId: string;
  readonly write: ValueWriter;
  /** Its value is one of the facts the writer returns (`FACT_ELEMENTS`). */
  readonly fact: boolean;
}

export interface ContainerPlan {
  readonly kind: 'container';
  readonly name: string;
  readonly open: string;
  readonly close: string;
  readonly minOccurs: number;
  readonly maxOccurs: number;
  readonly children: readonly ChildPlan[];
  /** Element names allowed directly inside (for unknown-property detection). */
  readonly names: ReadonlySet<string>;
  /** Every child optional: a required container of this kind may be written empty (PROTOCOL §12). */
  readonly allChildrenOptional: boolean;
}

export interface ChoicePlan {
  readonly kind: 'choice';
  readonly minOccurs: number;
  readonly branches: readonly (readonly ChildPlan[])[];
  /** Element names of each branch, to tell which branch the JSON uses. */
  readonly branchNames: readonly ReadonlySet<string>[];
  /** `A | B+C`, for messages. */
  readonly label: string;
}

/** The Signature slot (`xs:any`): left for the signer, which appends it after FechaHoraFirma. */
export interface SignatureSlotPlan {
  readonly kind: 'any';
}

export type ChildPlan = LeafPlan | ContainerPlan | ChoicePlan | SignatureSlotPlan;

export interface DocumentPlan {
  readonly kind: DocumentKind;
  readonly root: ContainerPlan;
}

const writers = new Map<string, ValueWriter>();

function writerFor(typeId: string): ValueWriter {
  let writer = writers.get(typeId);
  if (!writer) {
    writer = compileValueWriter(typeId, SIMPLE_TYPES[typeId]);
    writers.set(typeId, writer);
  }
  return writer;
}

const bound = (max: MaxOccurs): number => (max === 'unbounded' ? Infinity : max);

function namesOf(particles: readonly ParticleDef[], into: Set<string>): Set<string> {
  for (const p of particles) {
    if (p.kind === 'element') into.add(p.name);
    else if (p.kind === 'choice') p.branches.forEach((b) => namesOf(b, into));
  }
  return into;
}

function isOptional(p: ParticleDef): boolean {
  return p.minOccurs === 0 || (p.kind === 'choice' && p.branches.some((b) => b.every(isOptional)));
}

function compileParticle(p: ParticleDef): ChildPlan {
  if (p.kind === 'any') return { kind: 'any' };
  if (p.kind === 'choice') {
    if (bound(p.maxOccurs) !== 1) throw new Error('repeated xs:choice is not supported by the writer');
    return {
      kind: 'choice',
      minOccurs: p.minOccurs,
      branches: p.branches.map((b) => b.map(compileParticle)),
      branchNames: p.branches.map((b) => namesOf(b, new Set())),
      label: p.branches.map((b) => [...namesOf(b, new Set())].join('+')).join(' | '),
    };
  }
  return compileElement(p);
}

function compileElement(e: ElementDef): LeafPlan | ContainerPlan {
  const common = {
    name: e.name,
    open: `<${e.name}>`,
    close: `</${e.name}>`,
    minOccurs: e.minOccurs,
    maxOccurs: bound(e.maxOccurs),
  };
  if (e.type !== undefined) {
    return {
      kind: 'leaf',
      ...common,
      typeId: e.type,
      write: writerFor(e.type),
      fact: FACT_NAMES.has(e.name),
    };
  }
  const particles = e.children ?? [];
  return {
    kind: 'container',
    ...common,
    children: particles.map(compileParticle),
    names: namesOf(particles, new Set()),
    allChildrenOptional: particles.every(isOptional),
  };
}

const PLANS = Object.fromEntries(
  DOCUMENT_KINDS.map((kind) => [kind, { kind, root: compileElement(DOCUMENTS[kind].root) as ContainerPlan }]),
) as Readonly<Record<DocumentKind, DocumentPlan>>;

export function planOf(kind: DocumentKind): DocumentPlan {
  return PLANS[kind];
}
