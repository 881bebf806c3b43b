import type { ServerResponse } from 'node:http';
import { Injectable } from '@nestjs/common';

/**
 * Whether this instance is on its way out. Once draining, readiness answers 503
 * (so orchestrators stop routing here) and every response closes its connection
 * (so a gateway stops reusing ours), while requests are still served normally.
 *
 * "Every response" includes those of requests that arrived before the drain
 * began and answer after: a slow one answered with keep-alive would leave the
 * gateway an idle connection that the end of the drain then cuts, under a
 * request the gateway may already have sent on it.
 */
@Injectable()
export class ServerLifecycle {
  private drainingSince: number | undefined;
  private readonly unanswered = new Set<ServerResponse>();

  get draining(): boolean {
    return this.drainingSince !== undefined;
  }

  startDraining(): void {
    this.drainingSince ??= Date.now();
    for (const res of this.unanswered) closeAfter(res);
    this.unanswered.clear();
  }

  /** Called as each request comes in: its response closes the connection if it is sent while draining. */
  track(res: ServerResponse): void {
    if (this.draining) {
      closeAfter(res);
      return;
    }
    this.unanswered.add(res);
    res.once('close', () => this.unanswered.delete(res));
  }
}

function closeAfter(res: ServerResponse): void {
  if (!res.headersSent) res.setHeader('Connection', 'close');
}
