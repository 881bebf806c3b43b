export * from './auth.decorators';
export * from './auth.guard';
export * from './auth.module';
export * from './token.service';
