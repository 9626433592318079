import type { DocumentKind } from '../catalogue';
import { ACECF_RULES } from './acecf.rules';
import { ANECF_RULES } from './anecf.rules';
import { ARECF_RULES } from './arecf.rules';
import { ECF_31_RULES } from './ecf-31.rules';
import { ECF_32_RULES } from './ecf-32.rules';
import { ECF_33_RULES } from './ecf-33.rules';
import { ECF_34_RULES } from './ecf-34.rules';
import { ECF_41_RULES } from './ecf-41.rules';
import { ECF_43_RULES } from './ecf-43.rules';
import { ECF_44_RULES } from './ecf-44.rules';
import { ECF_45_RULES } from './ecf-45.rules';
import { ECF_46_RULES } from './ecf-46.rules';
import { ECF_47_RULES } from './ecf-47.rules';
import { isObject } from './rule-helpers';
import type { DgiiJson, RulesModule, Violation } from './rule.types';
import { RFCE_RULES } from './rfce.rules';
import { SEMILLA_RULES } from './semilla.rules';

/**
 * One rules module per document kind. Typed by the catalogue's kinds: regenerating the catalogue
 * with a new e-CF type does not compile until its rules module is added here.
 */
export const RULES_BY_KIND: Readonly<Record<DocumentKind, RulesModule>> = {
  '31': ECF_31_RULES,
  '32': ECF_32_RULES,
  '33': ECF_33_RULES,
  '34': ECF_34_RULES,
  '41': ECF_41_RULES,
  '43': ECF_43_RULES,
  '44': ECF_44_RULES,
  '45': ECF_45_RULES,
  '46': ECF_46_RULES,
  '47': ECF_47_RULES,
  RFCE: RFCE_RULES,
  ACECF: ACECF_RULES,
  ARECF: ARECF_RULES,
  ANECF: ANECF_RULES,
  Semilla: SEMILLA_RULES,
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
