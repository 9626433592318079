export * from './make-ecf';
export * from './guide-examples';
