import type { Logger } from '@nestjs/common';
import { withTimeout } from './with-timeout';

/**
 * A warning that is logged at most once per interval: a Redis outage fails
 * every request open, and one line per request would drown the log.
 */
export class IntermittentWarning {
  private lastAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly logger: Pick<Logger, 'warn'>,
    private readonly intervalMs = 10_000,
  ) {}

  warn(message: string): void {
    const now = Date.now();
    if (now - this.lastAt < this.intervalMs) return;
    this.lastAt = now;
    this.logger.warn(message);
  }
}

/**
 * `call` bounded by `timeoutMs`; when it fails or is late, the warning is
 * logged (at most once per interval) and the result is undefined, so the
 * caller carries on without what Redis would have said: it fails open.
 */
export async function failOpen<T>(call: Promise<T>, timeoutMs: number, warning: IntermittentWarning, what: string): Promise<T | undefined> {
  try {
    return await withTimeout(call, timeoutMs, `no answer within ${timeoutMs} ms`);
  } catch (error) {
    warning.warn(`${what} skipped: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}
