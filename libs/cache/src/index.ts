export * from './cache-generations';
export * from './cache.module';
export * from './cache.service';
