import { ECF_TYPES, type DocumentKind, type EcfType } from '../catalogue';
import { ACECF_RULES } from './acecf.rules';
import { ANECF_RULES } from './anecf.rules';
import { ARECF_RULES } from './arecf.rules';
import { ECF_COMMON_RULES } from './ecf-common.rules';
import { ECF_32_RULES } from './ecf-32.rules';
import { ECF_34_RULES } from './ecf-34.rules';
import { ECF_41_RULES } from './ecf-41.rules';
import { ECF_43_RULES } from './ecf-43.rules';
import { ECF_44_RULES } from './ecf-44.rules';
import { ECF_46_RULES } from './ecf-46.rules';
import { ECF_47_RULES } from './ecf-47.rules';
import { PRESENCE_BY_KIND } from './presence-by-kind';
import { presenceRules } from './presence.rule';
import { isObject } from './rule-helpers';
import type { DgiiJson, EcfTypeRules, RulesModule, Violation } from './rule.types';
import { RFCE_RULES } from './rfce.rules';
import { SEMILLA_RULES } from './semilla.rules';

/** The e-CF types with rules of their own; the others have only the common rules and their presence row. */
const ECF_TYPE_RULES: Readonly<Partial<Record<EcfType, EcfTypeRules>>> = Object.fromEntries(
  [ECF_32_RULES, ECF_34_RULES, ECF_41_RULES, ECF_43_RULES, ECF_44_RULES, ECF_46_RULES, ECF_47_RULES].map(
    (m) => [m.type, m],
  ),
);

// PROTOCOL §4.4 (Items): a line is gravado at 18% (1) and a bien (1) unless the type says otherwise.
const LINE_DEFAULTS = { indicadorFacturacion: 1, indicadorBienoServicio: 1 } as const;

/** An e-CF type's rules: the shared ones, then its PRESENCE_BY_KIND row, then its own module's. */
function ecfRules(type: EcfType): RulesModule {
  const own = ECF_TYPE_RULES[type];
  return {
    kind: type,
    lineDefaults: own?.lineDefaults ?? LINE_DEFAULTS,
    rules: [...ECF_COMMON_RULES, ...presenceRules(PRESENCE_BY_KIND[type]), ...(own?.rules ?? [])],
  };
}

/** The documents that are not e-CF types each have a module; typed so a new kind needs one. */
const OTHER_RULES: Readonly<Record<Exclude<DocumentKind, EcfType>, RulesModule>> = {
  RFCE: RFCE_RULES,
  ACECF: ACECF_RULES,
  ARECF: ARECF_RULES,
  ANECF: ANECF_RULES,
  Semilla: SEMILLA_RULES,
};

/**
 * The rules of every document kind in the catalogue. A new e-CF type in the catalogue gets the
 * common rules at once; it does not compile until its PRESENCE_BY_KIND row exists, and its own
 * rules module is optional (docs/architecture/extending-the-catalogue.md).
 */
export const RULES_BY_KIND: Readonly<Record<DocumentKind, RulesModule>> = {
  ...(Object.fromEntries(ECF_TYPES.map((type) => [type, ecfRules(type)])) as Record<EcfType, RulesModule>),
  ...OTHER_RULES,
};

/** Every business rule broken by a document (empty when all hold). Never throws on odd input. */
export function checkBusinessRules(kind: DocumentKind, doc: DgiiJson, prefix = 'ecf'): Violation[] {
  if (!isObject(doc)) return [];
  const ctx = { kind, doc, prefix };
  return RULES_BY_KIND[kind].rules.flatMap((r) => r.check(ctx));
}

export interface RuleDescription {
  readonly id: string;
  readonly section: string;
  readonly description: string;
  /** Document kinds the rule runs for. */
  readonly kinds: readonly DocumentKind[];
}

/** The rule ids with their descriptions, for the docs (presence tables are listed per kind). */
export function describeBusinessRules(): RuleDescription[] {
  const byId = new Map<string, { id: string; section: string; description: string; kinds: DocumentKind[] }>();
  for (const [kind, module] of Object.entries(RULES_BY_KIND) as [DocumentKind, RulesModule][]) {
    for (const rule of module.rules) {
      const key = rule.id.startsWith('section-') ? `${rule.id}@${kind}` : rule.id;
      const entry = byId.get(key) ?? {
        id: rule.id,
        section: rule.section,
        description: rule.description,
        kinds: [],
      };
      entry.kinds.push(kind);
      byId.set(key, entry);
    }
  }
  return [...byId.values()];
}
