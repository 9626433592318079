export * from './receptor-documents';
export { dgiiDate, dgiiDateTime } from './dgii-datetime';
