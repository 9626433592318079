export * from './flat-request';
