export * from './auth.decorators';
export * from './auth.guard';
export * from './auth.module';
export * from './token.service';
export * from './revocations.repository';
export * from './token-revocations';
