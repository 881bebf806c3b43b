export * from './fail-open';
export * from './hash-slots';
export * from './redis-connections';
export * from './redis.constants';
export * from './redis.module';
export * from './replicas';
export * from './with-timeout';
