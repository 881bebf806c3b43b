export * from './data-source-options';
export * from './database.module';
export * from './migrations';
export * from './migrator';
export * from './transaction';
export * from './sql';
export * from './synchronous-commit';
export * from './request-transaction';
