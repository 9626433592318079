export * from './rfce-from-ecf32';
export * from './receptor-documents';
export { dgiiDate, dgiiDateTime } from './dgii-datetime';
