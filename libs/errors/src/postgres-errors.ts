import { HttpStatus } from '@nestjs/common';

/** SQLSTATE codes we translate; see https://www.postgresql.org/docs/current/errcodes-appendix.html */
export const PG_UNIQUE_VIOLATION = '23505';
export const PG_FOREIGN_KEY_VIOLATION = '23503';

export interface DriverError {
  code?: string;
  constraint?: string;
}

/** The driver error inside a TypeORM QueryFailedError or a raw pg error, if any. */
export function driverErrorOf(error: unknown): DriverError | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const candidate = (error as { driverError?: unknown }).driverError ?? error;
  const code = (candidate as DriverError).code;
  return typeof code === 'string' ? candidate : undefined;
}

export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const driverError = driverErrorOf(error);
  return driverError?.code === PG_UNIQUE_VIOLATION && (constraint === undefined || driverError.constraint === constraint);
}

/** A row referenced something that does not exist (any more). */
export function isForeignKeyViolation(error: unknown): boolean {
  return driverErrorOf(error)?.code === PG_FOREIGN_KEY_VIOLATION;
}

/** The database could not serve the request now; a retry in a second may succeed (a failover, a restart). */
const UNAVAILABLE = { status: HttpStatus.SERVICE_UNAVAILABLE, message: 'the database is temporarily unavailable, try again', retryAfterSeconds: 1 } as const;

/**
 * Last-resort mapping for database errors that escaped the services, so that
 * bad input can never surface as a 500. Services map the cases they expect
 * (unique usernames, ...) themselves with a precise message. Unavailability
 * says when to retry (Retry-After).
 */
export function statusForDatabaseError(error: unknown): { status: HttpStatus; message: string; retryAfterSeconds?: number } | undefined {
  if (isConnectionLoss(error)) return UNAVAILABLE;
  const driverError = driverErrorOf(error);
  const code = driverError?.code;
  if (code === undefined) return undefined;
  if (code === PG_UNIQUE_VIOLATION) return { status: HttpStatus.UNPROCESSABLE_ENTITY, message: 'conflicts with an existing record' };
  if (code === PG_FOREIGN_KEY_VIOLATION) return { status: HttpStatus.NOT_FOUND, message: 'a referenced record does not exist' };
  if (code.startsWith('22') || code === '23502' || code === '23514') {
    // data exceptions (bad encoding, out of range, too long) and check/not-null violations
    return { status: HttpStatus.UNPROCESSABLE_ENTITY, message: 'invalid input' };
  }
  // statement timeout, admin and crash shutdown, cannot connect now, connection failures, too many
  // connections; and a write that reached a primary being demoted (read-only now: a failover)
  if (['57014', '57P01', '57P02', '57P03', '53300', '25006'].includes(code) || code.startsWith('08')) return UNAVAILABLE;
  if (code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'ETIMEDOUT' || code === 'EPIPE') return UNAVAILABLE;
  return undefined;
}

/**
 * Failures of the connection itself that carry no SQLSTATE: the pg driver's and pool's own
 * errors, and TypeORM's refusal to use a transaction whose connection died under it.
 */
const CONNECTION_LOSS_NAMES = new Set([
  'QueryRunnerProviderAlreadyReleasedError',
  'QueryRunnerAlreadyReleasedError',
  'ConnectionIsNotSetError',
  // a commit the synchronous standby did not confirm (@app/database): as uncertain as a lost connection
  'CommitNotReplicatedError',
]);
const CONNECTION_LOSS_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|connection error and is not queryable|Client was closed and is not queryable/;

function isConnectionLoss(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return (
    CONNECTION_LOSS_NAMES.has(error.name) ||
    CONNECTION_LOSS_NAMES.has(error.constructor.name) ||
    (driverErrorOf(error) === undefined && CONNECTION_LOSS_MESSAGES.test(error.message))
  );
}
