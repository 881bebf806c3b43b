export * from './redis.constants';
export * from './redis.module';
export * from './with-timeout';
