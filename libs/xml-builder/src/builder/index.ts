export {
  buildDocument,
  buildDocumentWithFacts,
  validateDocument,
  type BuildOptions,
  type BuiltDocument,
  type ValidationReport,
} from './build-document';
export { writeDocument, type WriteOptions, type WriteOutcome } from './document-writer';
export { FACT_ELEMENTS, type FactElement, type WrittenFacts } from './written-facts';
export { decimalKey, decimalPlaces, decimalValue, formatDecimal } from './decimal-format';
export { escapeC14nText, unwritableCharacter } from './xml-text';
