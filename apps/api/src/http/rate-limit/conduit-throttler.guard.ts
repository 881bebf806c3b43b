import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerLimitDetail } from '@nestjs/throttler';
import { ApiError } from '@app/errors';
import type { Response } from 'express';

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

  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const retryAfter = Math.max(1, Math.ceil(detail.timeToBlockExpire));
    context.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(retryAfter));
    throw new ApiError(429, `too many requests; retry in ${retryAfter} s`);
  }
}
