export * from './events/inbound-event';
export * from './registration';
export * from './receptor';
export * from './inbound.module';
