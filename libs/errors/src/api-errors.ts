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

/** 429 with the number of seconds after which the client may try again; the filter sends it as Retry-After. */
export class TooManyRequestsError extends ApiError {
  constructor(
    readonly retryAfterSeconds: number,
    message: string,
  ) {
    super(HttpStatus.TOO_MANY_REQUESTS, message);
  }
}
