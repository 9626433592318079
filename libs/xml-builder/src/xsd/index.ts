export { DOCUMENT_KINDS, XsdValidator, xsdFileName, xsdPath } from './xsd-validator';
export type { DocumentKind, XsdResult } from './xsd-validator';
