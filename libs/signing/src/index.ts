export * from './p12';
export * from './certificate/certificate-facts';
export * from './identity/signing-identity';
export * from './xmldsig';
export * from './qr';
