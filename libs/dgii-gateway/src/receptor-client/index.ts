export * from './address-policy';
export * from './receptor-http';
export * from './receptor.client';
