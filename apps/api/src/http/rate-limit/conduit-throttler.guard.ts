import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerLimitDetail } from '@nestjs/throttler';
import { TooManyRequestsError } from '@app/errors';

/**
 * Counts per client address across all routes (not per route), answers 429
 * in the API's error shape with a plain `Retry-After` (seconds) whichever
 * limit was hit.
 */
@Injectable()
export class ConduitThrottlerGuard extends ThrottlerGuard {
  protected override generateKey(_context: ExecutionContext, tracker: string, throttlerName: string): string {
    return `${throttlerName}:${tracker}`;
  }

  protected override throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const retryAfter = Math.max(1, Math.ceil(detail.timeToBlockExpire));
    throw new TooManyRequestsError(retryAfter, `too many requests; retry in ${retryAfter} s`);
  }
}
