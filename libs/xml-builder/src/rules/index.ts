export * from './rule.types';
export type { PresenceEntry } from './presence.rule';
export {
  checkBusinessRules,
  describeBusinessRules,
  RULES_BY_KIND,
  type RuleDescription,
} from './rules.registry';
