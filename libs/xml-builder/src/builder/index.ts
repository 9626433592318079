export {
  buildDocument,
  buildDocumentWithFacts,
  validateDocument,
  type BuildOptions,
  type BuiltDocument,
  type ValidationReport,
} from './build-document';
export {
  FACT_ELEMENTS,
  writeDocument,
  type WrittenFacts,
  type FactElement,
  type WriteOptions,
  type WriteOutcome,
} from './document-writer';
export { decimalKey, decimalPlaces, decimalValue, formatDecimal } from './decimal-format';
export { escapeC14nText, forbiddenCharacter } from './xml-text';
