export * from './inbound-event-store.contract';
export * from './received-ledger.contract';
