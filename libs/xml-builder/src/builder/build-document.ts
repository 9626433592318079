import { ValidationFailedError, XmlBuildFailedError } from '@app/common';
import type { DocumentKind } from '../catalogue';
import { checkBusinessRules } from '../rules/rules.registry';
import type { DgiiJson, Violation } from '../rules/rule.types';
import { writeDocument, type WriteOptions } from './document-writer';
import type { WrittenFacts } from './written-facts';

export interface BuildOptions extends WriteOptions {
  /** Also check the business rules beyond the XSD (default true). */
  readonly businessRules?: boolean;
}

export interface ValidationReport {
  readonly xml: string;
  readonly facts: WrittenFacts;
  /** XSD and business-rule violations (XML_BUILD_FAILED). */
  readonly violations: Violation[];
  /** Forbidden characters and amounts with too many decimals (VALIDATION_FAILED). */
  readonly characterViolations: Violation[];
}

const kindName = (kind: DocumentKind): string => (/^\d+$/.test(kind) ? `e-CF ${kind}` : kind);

/** Builds and checks without throwing: the XML plus every violation found. */
export function validateDocument(
  kind: DocumentKind,
  json: DgiiJson,
  options: BuildOptions = {},
): ValidationReport {
  const outcome = writeDocument(kind, json, options);
  const violations =
    options.businessRules === false
      ? outcome.violations
      : [...outcome.violations, ...checkBusinessRules(kind, json, options.pathPrefix ?? 'ecf')];
  return {
    xml: outcome.xml,
    facts: outcome.facts,
    violations,
    characterViolations: outcome.characterViolations,
  };
}

/**
 * DGII JSON → the unsigned document of `kind`, canonical by construction (XSD element order, no
 * declaration, attributes, whitespace or self-closing tags; C14N text escaping), ending with
 * FechaHoraFirma when `options.fechaHoraFirma` is given so the signer can append the Signature.
 *
 * @throws ValidationFailedError (400) when a text holds characters XML 1.0 cannot carry or an
 *   amount has more decimals than its field allows (nothing is ever rounded).
 * @throws XmlBuildFailedError (422) listing every XSD constraint and business rule broken.
 */
export function buildDocument(kind: DocumentKind, json: DgiiJson, options: BuildOptions = {}): string {
  return buildDocumentWithFacts(kind, json, options).xml;
}

/** An unsigned document and the facts its writer wrote into it (STYLE §27). */
export interface BuiltDocument {
  readonly xml: string;
  readonly facts: WrittenFacts;
}

/** `buildDocument`, also returning the facts written (e-NCF, RNCs, dates, totals; `FACT_ELEMENTS`). */
export function buildDocumentWithFacts(
  kind: DocumentKind,
  json: DgiiJson,
  options: BuildOptions = {},
): BuiltDocument {
  const report = validateDocument(kind, json, options);
  const input = report.characterViolations;
  if (input.length > 0) {
    const message = input.every((v) => v.rule === 'xml:char')
      ? 'text contains characters an XML document cannot carry'
      : `the ${kindName(kind)} request is not valid: ${input.length} problem${input.length === 1 ? '' : 's'}`;
    throw new ValidationFailedError(message, input);
  }
  if (report.violations.length > 0) {
    const n = report.violations.length;
    throw new XmlBuildFailedError(
      `the ${kindName(kind)} cannot be built: ${n} violation${n === 1 ? '' : 's'}`,
      report.violations,
    );
  }
  return { xml: report.xml, facts: report.facts };
}
