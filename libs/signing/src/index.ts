export * from './p12';
export * from './certificate/certificate-facts';
