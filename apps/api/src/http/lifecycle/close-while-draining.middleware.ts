import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServerLifecycle } from './server-lifecycle';

/** While draining, each response ends its connection, so no client (or gateway) keeps one of ours idle. */
export function closeWhileDrainingMiddleware(lifecycle: ServerLifecycle) {
  return (_req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    lifecycle.track(res);
    next();
  };
}
