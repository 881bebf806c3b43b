import { HttpException, HttpStatus } from '@nestjs/common';
import { errorBody } from './error-body';

/**
 * Exceptions that already carry the API's error shape. Services throw these;
 * the global filter sends them as they are.
 */
export class ApiError extends HttpException {
  constructor(status: HttpStatus, ...messages: string[]) {
    super(errorBody(...messages), status);
  }
}

export const unprocessable = (...messages: string[]) => new ApiError(HttpStatus.UNPROCESSABLE_ENTITY, ...messages);
export const unauthorized = (message = 'authentication required') => new ApiError(HttpStatus.UNAUTHORIZED, message);
export const forbidden = (message: string) => new ApiError(HttpStatus.FORBIDDEN, message);
export const notFound = (message: string) => new ApiError(HttpStatus.NOT_FOUND, message);
export const serviceUnavailable = (message: string) => new ApiError(HttpStatus.SERVICE_UNAVAILABLE, message);

/** A refusal that says when to try again; the filter sends `retryAfterSeconds` as Retry-After. */
export abstract class RetryLaterError extends ApiError {
  protected constructor(
    status: HttpStatus,
    readonly retryAfterSeconds: number,
    message: string,
  ) {
    super(status, message);
  }
}

/** 429: this client (or this client for this account) has to slow down. */
export class TooManyRequestsError extends RetryLaterError {
  constructor(retryAfterSeconds: number, message: string) {
    super(HttpStatus.TOO_MANY_REQUESTS, retryAfterSeconds, message);
  }
}

/** 409: the same request (by its Idempotency-Key) is still being worked on; try again shortly. */
export class StillRunningError extends RetryLaterError {
  constructor(retryAfterSeconds: number, message: string) {
    super(HttpStatus.CONFLICT, retryAfterSeconds, message);
  }
}

/** 503: the server is busy with work of this kind (not this client's fault); try again shortly. */
export class BusyError extends RetryLaterError {
  constructor(retryAfterSeconds: number, message: string) {
    super(HttpStatus.SERVICE_UNAVAILABLE, retryAfterSeconds, message);
  }
}
