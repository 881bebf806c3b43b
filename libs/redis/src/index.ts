export * from './fail-open';
export * from './redis-connections';
export * from './redis.constants';
export * from './redis.module';
export * from './with-timeout';
