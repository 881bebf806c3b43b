/** Injection token of the shared ioredis connection (commands only, no blocking calls). */
export const REDIS_CLIENT = Symbol('REDIS_CLIENT');
