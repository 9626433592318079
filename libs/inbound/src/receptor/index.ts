export * from './receptor.service';
export * from './receptor-auth';
export * from './receptor-call.decorator';
export * from './receptor.reply';
export * from './receptor-reply.interceptor';
export * from './receptor-routing';
export * from './received-ledger';
