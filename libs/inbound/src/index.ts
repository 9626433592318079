export * from './events/inbound-event';
