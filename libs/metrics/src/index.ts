export * from './http-metrics.middleware';
export * from './metric-names';
export * from './metrics.module';
