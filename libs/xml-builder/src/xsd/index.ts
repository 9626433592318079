export { schemaFilePath, XsdValidator, xsdFileName, xsdPath } from './xsd-validator';
export type { XsdResult, XsdSchemaRef } from './xsd-validator';
