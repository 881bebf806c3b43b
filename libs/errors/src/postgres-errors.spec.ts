import { HttpStatus } from '@nestjs/common';
import { statusForDatabaseError } from './postgres-errors';

describe('statusForDatabaseError', () => {
  const named = (name: string, message = 'x') => Object.assign(new Error(message), { name });

  it.each([
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['a server shutting down (57P01)', Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' })],
    ['a statement timeout (57014)', Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' })],
    ['a write on a primary being demoted (25006)', Object.assign(new Error('cannot execute INSERT in a read-only transaction'), { code: '25006' })],
    ['a server that crashed (57P02)', Object.assign(new Error('terminating connection because of crash of another server process'), { code: '57P02' })],
    ['a connection that died mid-query (pg)', new Error('Connection terminated unexpectedly')],
    ['a pool that cannot connect in time (pg-pool)', new Error('timeout exceeded when trying to connect')],
    [
      'a transaction whose connection was released (TypeORM)',
      named('QueryRunnerProviderAlreadyReleasedError', 'Database connection provided by a query runner was already released'),
    ],
  ])('maps %s to 503 with a retry in a second', (_case, error) => {
    expect(statusForDatabaseError(error)).toEqual({
      status: HttpStatus.SERVICE_UNAVAILABLE,
      message: 'the database is temporarily unavailable, try again',
      retryAfterSeconds: 1,
    });
  });

  it('leaves unrelated errors alone (they become a logged 500)', () => {
    expect(statusForDatabaseError(new Error('Cannot read properties of undefined'))).toBeUndefined();
    expect(statusForDatabaseError(Object.assign(new Error('Connection terminated'), { code: '23505' }))?.status).toBe(HttpStatus.UNPROCESSABLE_ENTITY);
  });
});
