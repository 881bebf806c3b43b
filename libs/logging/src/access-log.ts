import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Level, Logger as Pino } from 'pino';
import { requestIdOf } from './request-id';

/** Probes are polled every few seconds by infrastructure: logging them is noise. */
const UNLOGGED_PREFIX = '/health';

const levelFor = (status: number): Level => (status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info');

/**
 * One line per request when it ends: request id, method, URL, status and
 * duration, at info (2xx/3xx), warn (4xx) or error (5xx); a request whose
 * client went away before the response was sent is logged as aborted.
 *
 * A line whose level is disabled costs nothing: no child logger or bindings
 * are made per request (pino-http did, on every request, whatever the level).
 */
export function accessLogMiddleware(logger: Pino) {
  return (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    if (req.url?.startsWith(UNLOGGED_PREFIX)) return next();
    const started = performance.now();
    const done = (aborted: boolean) => {
      const level = aborted ? 'warn' : levelFor(res.statusCode);
      if (!logger.isLevelEnabled(level)) return;
      const id = requestIdOf(req, res);
      logger[level](
        {
          requestId: id,
          req: { id, method: req.method, url: req.url },
          res: { statusCode: res.statusCode },
          responseTime: Math.round(performance.now() - started),
        },
        aborted ? 'request aborted' : 'request completed',
      );
    };
    res.once('close', () => done(!res.writableFinished));
    next();
  };
}
