export * from './bull-connection';
export * from './events';
export * from './notifications';
export * from './outbox';
export * from './queue.module';
export * from './queues';
export * from './webhook-signature';
export * from './webhook-targets';
