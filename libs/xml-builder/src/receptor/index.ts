export * from './receptor-documents';
