export * from './redis.connection';
export * from './record-cipher';
export * from './store-readiness';
export * from './redis.module';
