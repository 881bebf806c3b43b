import { HttpStatus } from '@nestjs/common';
import { statusForDatabaseError } from './postgres-errors';

describe('statusForDatabaseError', () => {
  const named = (name: string, message = 'x') => Object.assign(new Error(message), { name });

  it.each([
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['a server shutting down (57P01)', Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' })],
    ['a statement timeout (57014)', Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' })],
    ['a connection that died mid-query (pg)', new Error('Connection terminated unexpectedly')],
    ['a pool that cannot connect in time (pg-pool)', new Error('timeout exceeded when trying to connect')],
    [
      'a transaction whose connection was released (TypeORM)',
      named('QueryRunnerProviderAlreadyReleasedError', 'Database connection provided by a query runner was already released'),
    ],
  ])('maps %s to 503', (_case, error) => {
    expect(statusForDatabaseError(error)).toEqual({ status: HttpStatus.SERVICE_UNAVAILABLE, message: 'the database is temporarily unavailable, try again' });
  });

  it('leaves unrelated errors alone (they become a logged 500)', () => {
    expect(statusForDatabaseError(new Error('Cannot read properties of undefined'))).toBeUndefined();
    expect(statusForDatabaseError(Object.assign(new Error('Connection terminated'), { code: '23505' }))?.status).toBe(HttpStatus.UNPROCESSABLE_ENTITY);
  });
});
