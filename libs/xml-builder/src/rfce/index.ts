export * from './rfce-from-ecf32';
