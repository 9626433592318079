export * from './make-ecf';
