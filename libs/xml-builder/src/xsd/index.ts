export { XsdValidator, xsdFileName, xsdPath } from './xsd-validator';
export type { XsdResult } from './xsd-validator';
