export * from './redis.constants';
export * from './redis.module';
