import type { IncomingMessage, ServerResponse } from 'node:http';
import { Global, Module } from '@nestjs/common';
import { AppConfig } from '@app/config';
import pino, { Logger as Pino } from 'pino';
import { AppLogger } from './app-logger';
import { requestIdOf } from './request-id';
import { currentRequestId, runWithRequestId } from './request-context';

/**
 * Makes the request's id available to everything the request runs (`currentRequestId()`).
 * Mount it after the body parser: the parser resumes the chain from a socket event, which
 * would drop an async context entered before it.
 */
export function requestContextMiddleware(req: IncomingMessage, res: ServerResponse, next: () => void): void {
  runWithRequestId(requestIdOf(req, res), next);
}

/** Adds the id of the request being served (if any) to a log line. */
export function requestIdMixin(): { requestId?: string } {
  const requestId = currentRequestId();
  return requestId === undefined ? {} : { requestId };
}

/**
 * The process's one pino logger: JSON in production, pretty in development,
 * secrets redacted, and every line written while a request runs carries its
 * request id (the mixin reads it from the request context).
 */
export function createRootLogger(config: AppConfig): Pino {
  return pino({
    level: config.logLevel,
    mixin: requestIdMixin,
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'], censor: '[redacted]' },
    transport: config.nodeEnv === 'development' ? { target: 'pino-pretty', options: { singleLine: true } } : undefined,
  });
}

/** Structured logs for both apps: `AppLogger` is Nest's logger (`app.useLogger(app.get(AppLogger))`). */
@Global()
@Module({
  providers: [{ provide: AppLogger, inject: [AppConfig], useFactory: (config: AppConfig) => new AppLogger(createRootLogger(config)) }],
  exports: [AppLogger],
})
export class LoggingModule {}
