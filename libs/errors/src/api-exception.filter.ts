import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { ErrorBody, errorBody } from './error-body';
import { RetryLaterError } from './api-errors';
import { statusForDatabaseError } from './postgres-errors';

/**
 * Turns every failure into the API's error shape. Unknown errors become a
 * generic 500: their message and stack go to the log, never to the client.
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    sendApiError(host.switchToHttp().getResponse<Response>(), exception);
  }

  describe(exception: unknown): { status: number; body: ErrorBody } {
    return describeError(exception);
  }
}

const logger = new Logger('ApiExceptionFilter');

/**
 * Writes `exception` as the API's error response: its status, `Retry-After` when it says when
 * to retry (429, 503 while busy), the error shape. The one way the API answers a failure: Nest's
 * routes reach it through ApiExceptionFilter, plain Express middleware (the admin gate) calls it.
 */
export function sendApiError(response: Response, exception: unknown): void {
  const { status, body, retryAfterSeconds } = describeError(exception);
  // A refusal that says when to retry (503 while busy) is load shedding, not a fault.
  if (status >= 500 && !(exception instanceof RetryLaterError))
    logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
  if (response.headersSent) return;
  if (retryAfterSeconds !== undefined) response.setHeader('Retry-After', String(retryAfterSeconds));
  response.status(status).json(body);
}

function describeError(exception: unknown): { status: number; body: ErrorBody; retryAfterSeconds?: number } {
  if (exception instanceof RetryLaterError)
    return { status: exception.getStatus(), body: bodyOfHttpException(exception), retryAfterSeconds: exception.retryAfterSeconds };
  if (exception instanceof HttpException) {
    return { status: exception.getStatus(), body: bodyOfHttpException(exception) };
  }
  const bodyParserError = describeBodyParserError(exception);
  if (bodyParserError) return bodyParserError;
  const database = statusForDatabaseError(exception);
  if (database) return { status: database.status, body: errorBody(database.message), retryAfterSeconds: database.retryAfterSeconds };
  return { status: HttpStatus.INTERNAL_SERVER_ERROR, body: errorBody('internal server error') };
}

function bodyOfHttpException(exception: HttpException): ErrorBody {
  const response = exception.getResponse();
  if (isErrorBody(response)) return response;
  if (typeof response === 'string') return errorBody(response);
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return errorBody(...message.map(String));
  if (typeof message === 'string') return errorBody(message);
  return errorBody(exception.message);
}

function isErrorBody(value: unknown): value is ErrorBody {
  const errors = (value as ErrorBody | undefined)?.errors;
  return typeof errors === 'object' && errors !== null && Array.isArray(errors.body);
}

/** body-parser (raw-body) errors carry a `type` and an HTTP status of their own. */
function describeBodyParserError(exception: unknown): { status: number; body: ErrorBody } | undefined {
  if (typeof exception !== 'object' || exception === null) return undefined;
  const { type, status, limit } = exception as { type?: unknown; status?: unknown; limit?: unknown };
  if (typeof type !== 'string' || typeof status !== 'number') return undefined;
  switch (type) {
    case 'entity.parse.failed':
      return { status: HttpStatus.BAD_REQUEST, body: errorBody('request body is not valid JSON') };
    case 'entity.too.large':
      return { status: HttpStatus.PAYLOAD_TOO_LARGE, body: errorBody(`request body is larger than the limit of ${String(limit)} bytes`) };
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return { status: HttpStatus.UNSUPPORTED_MEDIA_TYPE, body: errorBody('request body encoding or charset is not supported') };
    default:
      return { status: status >= 400 && status < 500 ? status : HttpStatus.BAD_REQUEST, body: errorBody('request body could not be read') };
  }
}
