export * from './conduit-client';
export * from './create-http-test-app';
export * from './processes';
export * from './unique';
export * from './system-tool';
export * from './postgres-server';
