export * from './cache.module';
export * from './cache.service';
