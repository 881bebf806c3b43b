import type { Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { INestApplication, LoggerService } from '@nestjs/common';
import type { AppConfig } from '@app/config';
import { ServerLifecycle } from './server-lifecycle';

/**
 * Stops an API instance without failing a request (used instead of Nest's
 * shutdown hooks, which close the listener at once):
 *
 * 1. drain: keep serving for `drainMs`, each response with `Connection: close` and readiness 503.
 *    A gateway's idle upstream connections expire within that time (its keepalive_timeout is
 *    shorter), so none of them can be reused at the moment we close it;
 * 2. stop accepting, close idle sockets, let in-flight requests finish for up to `timeoutMs`,
 *    then cut what is left;
 * 3. close the app (database pool, Redis, queues) and exit 0.
 */
export function stopGracefullyOnSignals(app: INestApplication, server: Server, config: AppConfig, logger: LoggerService): void {
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    const { drainMs, timeoutMs } = config.shutdown;
    logger.log(`${signal}: draining for ${drainMs} ms, then finishing in-flight requests (at most ${timeoutMs} ms)`, 'Shutdown');
    app.get(ServerLifecycle).startDraining();
    await sleep(drainMs);

    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const cutOff = setTimeout(() => {
      logger.warn(`in-flight requests still open after ${timeoutMs} ms; closing their connections`, 'Shutdown');
      server.closeAllConnections();
    }, timeoutMs);
    await closed;
    clearTimeout(cutOff);

    await app.close();
    logger.log('stopped', 'Shutdown');
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}
