import type { DocumentKind } from '../catalogue';
import type { Violation } from '../rules/rule.types';
import { INPUT_RULES, type ValueError } from './value-writer';
import { unescapeC14nText, type FactElement, type WrittenFacts } from './written-facts';
import { planOf, type ChildPlan, type ChoicePlan, type ContainerPlan, type LeafPlan } from './writer-plan';

export interface WriteOptions {
  /** `dd-MM-yyyy HH:mm:ss` (Dominican time, PROTOCOL §3.3): written as FechaHoraFirma, just before the Signature. */
  readonly fechaHoraFirma?: string;
  /** First segment of every violation path; `ecf` unless told otherwise. */
  readonly pathPrefix?: string;
}

export interface WriteOutcome {
  /** The unsigned document, canonical by construction; meaningless when there are violations. */
  readonly xml: string;
  /** The facts written (see `FACT_ELEMENTS`). */
  readonly facts: WrittenFacts;
  /** Schema (XSD) violations → XML_BUILD_FAILED. */
  readonly violations: Violation[];
  /**
   * The request itself is malformed → VALIDATION_FAILED: characters XML 1.0 cannot carry (or
   * U+0085/U+2028/U+2029), amounts with more decimals than their field allows.
   */
  readonly characterViolations: Violation[];
}

type JsonObject = Record<string, unknown>;

const isAbsent = (v: unknown): boolean => v === undefined || v === null || v === '';

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function hasContent(obj: JsonObject): boolean {
  for (const key in obj) if (!isAbsent(obj[key])) return true;
  return false;
}

const kindLabel = (kind: DocumentKind): string => (/^\d+$/.test(kind) ? `e-CF ${kind}` : kind);

/**
 * Walks a writer plan over a JSON document in XSD order, writing the canonical XML string (no
 * declaration, no attributes, no whitespace, no self-closing tags) and collecting every violation.
 * Start tags of containers stay pending until something is written inside them, so an optional
 * container with nothing to say leaves no empty element behind (DT p.59, PROTOCOL §3.2).
 */
class DocumentWriter {
  out = '';
  private pending = '';
  private flushes = 0;
  readonly violations: Violation[] = [];
  readonly characterViolations: Violation[] = [];
  readonly facts: Partial<Record<FactElement, string>> = {};

  constructor(private readonly kind: DocumentKind) {}

  document(root: ContainerPlan, json: JsonObject, path: string): void {
    this.out = root.open;
    this.children(root, root.children, json, path);
    this.flush();
    this.out += root.close;
  }

  private report(path: string, rule: string, message: string): void {
    (INPUT_RULES.has(rule) ? this.characterViolations : this.violations).push({ path, message, rule });
  }

  private flush(): void {
    if (this.pending !== '') {
      this.out += this.pending;
      this.pending = '';
      this.flushes++;
    }
  }

  private children(owner: ContainerPlan, plans: readonly ChildPlan[], obj: JsonObject, path: string): void {
    for (const plan of plans) {
      if (plan.kind === 'leaf') this.leaf(plan, obj[plan.name], path);
      else if (plan.kind === 'container') this.container(plan, obj[plan.name], path);
      else if (plan.kind === 'choice') this.choice(owner, plan, obj, path);
    }
    if (plans === owner.children) {
      for (const key in obj) {
        if (!owner.names.has(key) && obj[key] !== undefined) this.unknown(owner, key, path);
      }
    }
  }

  private unknown(owner: ContainerPlan, key: string, path: string): void {
    const lower = key.toLowerCase();
    const hint = [...owner.names].find((n) => n.toLowerCase() === lower);
    const where = `${owner.name} in ${kindLabel(this.kind)}`;
    const message = hint
      ? `is not an element of ${where}; did you mean ${hint}?`
      : `is not an element of ${where}`;
    this.report(`${path}.${key}`, 'xsd:unknown-element', message);
  }

  private required(path: string, name: string): void {
    this.report(`${path}.${name}`, 'xsd:minOccurs', 'is required');
  }

  private occurrences(plan: LeafPlan | ContainerPlan, list: readonly unknown[], path: string): boolean {
    if (list.length > plan.maxOccurs || plan.maxOccurs === 1) {
      const message =
        plan.maxOccurs === 1
          ? 'must be a single value, not a list'
          : `may appear at most ${plan.maxOccurs} times (has ${list.length})`;
      this.report(`${path}.${plan.name}`, 'xsd:maxOccurs', message);
      return false;
    }
    if (list.length < plan.minOccurs) {
      this.report(`${path}.${plan.name}`, 'xsd:minOccurs', `must appear at least ${plan.minOccurs} times`);
    }
    return true;
  }

  private leaf(plan: LeafPlan, value: unknown, path: string): void {
    if (isAbsent(value) || (Array.isArray(value) && value.length === 0)) {
      if (plan.minOccurs > 0) this.required(path, plan.name);
      return;
    }
    if (!Array.isArray(value)) {
      this.text(plan, value, path, plan.name);
      return;
    }
    if (!this.occurrences(plan, value, path)) return;
    for (let i = 0; i < value.length; i++) this.text(plan, value[i], path, `${plan.name}[${i}]`);
  }

  private text(plan: LeafPlan, value: unknown, path: string, segment: string): void {
    const text = plan.write(value);
    if (typeof text === 'string') {
      this.flush();
      this.out += plan.open + text + plan.close;
      // A written leaf is final (pending tags were flushed), so this is what the document holds.
      if (plan.fact && this.facts[plan.name as FactElement] === undefined) {
        this.facts[plan.name as FactElement] = unescapeC14nText(text);
      }
    } else {
      this.fail(text, `${path}.${segment}`);
    }
  }

  private fail(error: ValueError, path: string): void {
    this.report(path, error.rule, error.message);
  }

  private container(plan: ContainerPlan, value: unknown, path: string): void {
    let wrote = false;
    if (Array.isArray(value)) {
      if (value.length > 0 && this.occurrences(plan, value, path)) {
        for (let i = 0; i < value.length; i++) {
          const itemPath = `${path}.${plan.name}[${i}]`;
          const item: unknown = value[i];
          if (isObject(item) && !hasContent(item)) {
            this.report(itemPath, 'xsd:type', 'must not be empty (DGII rejects empty elements)');
          } else if (this.instance(plan, item, itemPath)) {
            wrote = true;
          }
        }
        if (!wrote && plan.minOccurs > 0 && !plan.allChildrenOptional) return;
      }
    } else if (!isAbsent(value) && !(isObject(value) && !hasContent(value))) {
      wrote = this.instance(plan, value, `${path}.${plan.name}`);
    }
    if (wrote || plan.minOccurs === 0) return;
    if (plan.allChildrenOptional) {
      // The one empty element DGII's schemas force: a required container whose children are all
      // optional, e.g. <Comprador></Comprador> of an anonymous e-CF 32 and its RFCE (PROTOCOL §12).
      // It stays pending, so it never keeps an otherwise empty optional parent alive.
      this.pending += plan.open + plan.close;
    } else if (
      isAbsent(value) ||
      (Array.isArray(value) && value.length === 0) ||
      (isObject(value) && !hasContent(value))
    ) {
      this.required(path, plan.name);
    }
  }

  /** Writes one occurrence of a container; false when nothing ended up inside it. */
  private instance(plan: ContainerPlan, value: unknown, path: string): boolean {
    if (!isObject(value)) {
      this.report(path, 'xsd:type', `must be an object with the elements of ${plan.name}`);
      return false;
    }
    const mark = this.pending.length;
    const flushes = this.flushes;
    this.pending += plan.open;
    this.children(plan, plan.children, value, path);
    if (this.flushes === flushes) {
      // Nothing was written inside: drop the start tag (and any forced-empty child) again.
      this.pending = this.pending.slice(0, mark);
      return false;
    }
    this.flush();
    this.out += plan.close;
    return true;
  }

  private choice(owner: ContainerPlan, plan: ChoicePlan, obj: JsonObject, path: string): void {
    let chosen = -1;
    for (let b = 0; b < plan.branchNames.length; b++) {
      let present = false;
      for (const name of plan.branchNames[b]) if (!isAbsent(obj[name])) present = true;
      if (!present) continue;
      if (chosen >= 0) {
        this.report(
          `${path}.${[...plan.branchNames[b]][0]}`,
          'xsd:choice',
          `only one of ${plan.label} may be given`,
        );
        return;
      }
      chosen = b;
    }
    if (chosen < 0) {
      if (plan.minOccurs > 0)
        this.report(`${path}.${plan.label}`, 'xsd:minOccurs', `one of ${plan.label} is required`);
      return;
    }
    this.children(owner, plan.branches[chosen], obj, path);
  }
}

/**
 * Writes a document of `kind` from DGII-shaped JSON, checking every XSD constraint of the
 * catalogue. Does not throw: the caller decides what the violations mean (see `buildDocument`).
 */
export function writeDocument(kind: DocumentKind, json: unknown, options: WriteOptions = {}): WriteOutcome {
  const prefix = options.pathPrefix ?? 'ecf';
  const writer = new DocumentWriter(kind);
  if (!isObject(json)) {
    return {
      xml: '',
      facts: {},
      violations: [{ path: prefix, message: 'must be an object in DGII JSON shape', rule: 'xsd:type' }],
      characterViolations: [],
    };
  }
  let doc = json;
  const signedAt = options.fechaHoraFirma;
  if (signedAt !== undefined) {
    if (!isAbsent(json.FechaHoraFirma) && json.FechaHoraFirma !== signedAt) {
      writer.violations.push({
        path: `${prefix}.FechaHoraFirma`,
        message: `differs from the signing time ${signedAt}; leave it out, the signer sets it`,
        rule: 'xsd:fixed',
      });
    }
    doc = { ...json, FechaHoraFirma: signedAt };
  }
  writer.document(planOf(kind).root, doc, prefix);
  return {
    xml: writer.out,
    facts: writer.facts,
    violations: writer.violations,
    characterViolations: writer.characterViolations,
  };
}
