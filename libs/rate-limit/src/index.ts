export * from './rate-limit.store';
export * from './memory-rate-limit.store';
export * from './redis-rate-limit.store';
export * from './rate-limiter.service';
export * from './rate-limit.guard';
export * from './rate-limit.config';
export * from './rate-limit.module';
