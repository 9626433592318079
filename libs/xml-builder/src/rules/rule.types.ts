import type { DocumentKind, EcfType } from '../catalogue';

/**
 * One broken constraint, addressed by the JSON path of the offending value (0-based indexes).
 * A type alias (not an interface) so it is assignable to the envelope's `ErrorDetail`.
 */
export type Violation = {
  readonly path: string;
  readonly message: string;
  readonly rule: string;
};

/** A document in DGII's JSON shape: element names as in the XSD, repeated elements as arrays. */
export type DgiiJson = Readonly<Record<string, unknown>>;

export interface RuleContext {
  readonly kind: DocumentKind;
  /** The document (content of the root element) in DGII JSON shape. */
  readonly doc: DgiiJson;
  /** First segment of violation paths (`ecf`). */
  readonly prefix: string;
}

/** A business rule beyond the XSD. `section` is where PROTOCOL.md states it. */
export interface BusinessRule {
  readonly id: string;
  readonly section: string;
  readonly description: string;
  check(ctx: RuleContext): Violation[];
}

/** The rules of one document kind, as the registry composes them (rules.registry.ts). */
export interface RulesModule {
  readonly kind: DocumentKind;
  readonly rules: readonly BusinessRule[];
  /** Line defaults the flat mapping uses for this type (PROTOCOL §4.4): IndicadorFacturacion, IndicadorBienoServicio. */
  readonly lineDefaults?: { readonly indicadorFacturacion: number; readonly indicadorBienoServicio: number };
}

/**
 * What one e-CF type adds to the rules every e-CF type shares and to its PRESENCE_BY_KIND row.
 * Optional: a type with nothing of its own has no module (rules.registry.ts).
 */
export interface EcfTypeRules {
  readonly type: EcfType;
  /** Run after the common e-CF rules and the presence rules. */
  readonly rules: readonly BusinessRule[];
  /** When the type's lines differ from the default (1 = ITBIS 18%, 1 = bien), PROTOCOL §4.4. */
  readonly lineDefaults?: RulesModule['lineDefaults'];
}
