// Test-only helpers: .p12 fixtures and identities, XML oracles, e-CF document makers, guard and
// route-spec harnesses, official-file discovery. Never imported by apps/ or non-test lib code (eslint).
export * from './p12/ber-rewrap';
export * from './p12/generate-test-p12';
export * from './official-files/official-files';
export * from './fixtures/fixture-dirs';
export * from './fixtures/p12-fixtures';
export * from './xml/xml-oracles';
export * from './pdf/pdf-oracles';
export * from './nest/http-context';
export * from './nest/controller-setup';
export * from './documents/make-ecf';
export * from './documents/guide-examples';
export * from './redis/redis-testing';
