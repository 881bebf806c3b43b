export * from './close-while-draining.middleware';
export * from './graceful-shutdown';
export * from './server-lifecycle';
export * from './trusted-proxies';
export * from './lifecycle.module';
