export * from './inbound-event-store.contract';
