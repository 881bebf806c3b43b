import { Server as NetServer } from 'node:net';
import type { Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { INestApplication, LoggerService } from '@nestjs/common';
import type { AppConfig } from '@app/config';
import { ServerLifecycle } from './server-lifecycle';
import { stopTracing } from '@app/tracing';

/**
 * Stops an API instance without failing a request (used instead of Nest's
 * shutdown hooks, which close the listener at once):
 *
 * 1. drain: keep serving for `drainMs`, each response with `Connection: close` and readiness 503.
 *    A gateway's idle upstream connections expire within that time (its keepalive_timeout is
 *    shorter), so none of them can be reused at the moment we close it. New connections are
 *    refused from the start of the drain or from its end (`SHUTDOWN_STOP_ACCEPTING`): a gateway
 *    with a fixed upstream list keeps opening new ones (each drained response closes its
 *    connection) until it is refused, and one it opens just as the listener closes is reset
 *    under a request it has already sent;
 * 2. stop accepting (if not yet), close idle sockets, let in-flight requests finish for up to
 *    `timeoutMs`, then cut what is left;
 * 3. close the app (database pool, Redis, queues) and exit 0.
 */
export function stopGracefullyOnSignals(app: INestApplication, server: Server, config: AppConfig, logger: LoggerService): void {
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    const { drainMs, timeoutMs, stopAccepting } = config.shutdown;
    logger.log(
      `${signal}: draining for ${drainMs} ms (new connections refused at drain ${stopAccepting === 'drain-start' ? 'start' : 'end'}), then finishing in-flight requests (at most ${timeoutMs} ms)`,
      'Shutdown',
    );
    // 'close' comes once the listener is closed and the last connection has ended.
    const closed = new Promise<void>((resolve) => server.once('close', () => resolve()));
    app.get(ServerLifecycle).startDraining();
    if (stopAccepting === 'drain-start') closeListenerOnly(server);
    await sleep(drainMs);

    if (stopAccepting === 'drain-end') closeListenerOnly(server);
    server.closeIdleConnections();
    const cutOff = setTimeout(() => {
      logger.warn(`in-flight requests still open after ${timeoutMs} ms; closing their connections`, 'Shutdown');
      server.closeAllConnections();
    }, timeoutMs);
    await closed;
    clearTimeout(cutOff);

    await app.close();
    await stopTracing(); // the last spans, before the process is gone
    logger.log('stopped', 'Shutdown');
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

/**
 * Stops accepting connections but leaves the open ones alone. `http.Server#close` would
 * also close the idle keep-alive ones at once, under a request a gateway may be sending
 * on one of them right now; those are closed only at the end of the drain.
 */
function closeListenerOnly(server: Server): void {
  NetServer.prototype.close.call(server);
}
