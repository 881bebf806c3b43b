import { Injectable } from '@nestjs/common';

/**
 * Whether this instance is on its way out. Once draining, readiness answers 503
 * (so orchestrators stop routing here) and every response closes its connection
 * (so a gateway stops reusing ours), while requests are still served normally.
 */
@Injectable()
export class ServerLifecycle {
  private drainingSince: number | undefined;

  get draining(): boolean {
    return this.drainingSince !== undefined;
  }

  startDraining(): void {
    this.drainingSince ??= Date.now();
  }
}
