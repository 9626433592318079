export * from './catalogue.types';
export * from './catalogue';
export * from './ecf-catalogue.generated';
export { compileXsdPatterns, xsdPatternToJsSource } from './xsd-regex';
