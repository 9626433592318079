export { buildDocument, validateDocument, type BuildOptions, type ValidationReport } from './build-document';
export { writeDocument, type WriteOptions, type WriteOutcome } from './document-writer';
export { decimalKey, decimalPlaces, decimalValue, formatDecimal } from './decimal-format';
export { escapeC14nText, forbiddenCharacter } from './xml-text';
