export * from './api-error-responses.decorator';
export * from './api-errors';
export * from './api-exception.filter';
export * from './error-body';
export * from './error-response.dto';
export * from './postgres-errors';
export * from './reject-unstorable-text.pipe';
export * from './validation';
