export * from './access-log';
export * from './app-logger';
export * from './logging.module';
export * from './request-context';
export * from './request-id';
