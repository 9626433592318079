export * from './document-signer.service';
export * from './ecf-issuance.service';
export * from './acecf-issuance.service';
export * from './status.service';
export * from './idempotency.store';
export * from './issue-caller';
export * from './issue-result';
export * from './issuance.module';
