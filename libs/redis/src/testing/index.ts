export * from './redis-testing';
