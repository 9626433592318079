export * from './receptor-registration';
export * from './receptor.registry';
export * from './memory-receptor.registry';
export * from './receptor-signers';
export * from './receptor-urls';
export * from './receptor-registration.service';
export * from './receptor-registry.module';
export * from './registry-callback-targets';
