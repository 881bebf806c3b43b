export * from './conduit-client';
export * from './create-http-test-app';
export * from './unique';
