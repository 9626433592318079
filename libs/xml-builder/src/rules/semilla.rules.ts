import type { RulesModule } from './rule.types';

/** The seed is DGII's own document; we only sign it (PROTOCOL §2), so it has no business rules. */
export const SEMILLA_RULES: RulesModule = { kind: 'Semilla', rules: [] };
