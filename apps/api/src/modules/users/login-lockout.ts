import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { TooManyRequestsError } from '@app/errors';
import { REDIS_CLIENT, withTimeout } from '@app/redis';
import Redis from 'ioredis';

/** A Redis call on the login path waits at most this long; then the lockout steps aside. */
const REDIS_TIMEOUT_MS = 250;

/**
 * Slows password guessing against one account from any number of addresses
 * (the per-address rate limits cannot): after `threshold` failures within the
 * window, the account refuses logins for `baseSeconds`, doubling with every
 * further failure up to `maxSeconds`; a correct password is refused too while
 * locked, or the lock would not stop guessing. Counted per normalized email
 * whether or not an account has it, so a lockout reveals nothing about which
 * emails exist. Keys hold a hash of the email, never the address itself.
 * If Redis does not answer, logins proceed (fail open, like the rate limits):
 * an outage of the counter store must not lock everyone out.
 */
@Injectable()
export class LoginLockout {
  private readonly logger = new Logger(LoginLockout.name);

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    private readonly config: AppConfig,
  ) {}

  /** Throws 429 with Retry-After while the account is locked. */
  async assertNotLocked(email: string): Promise<void> {
    const remainingMs = await this.bounded(this.redis.pttl(this.key('lock', email)));
    if (remainingMs !== undefined && remainingMs > 0) {
      const seconds = Math.ceil(remainingMs / 1000);
      throw new TooManyRequestsError(seconds, `too many failed logins for this account; try again in ${seconds} s`);
    }
  }

  async recordFailure(email: string): Promise<void> {
    const { threshold, baseSeconds, maxSeconds, windowSeconds } = this.config.loginLockout;
    const failuresKey = this.key('failures', email);
    const failures = await this.bounded(this.redis.incr(failuresKey));
    if (failures === undefined) return;
    if (failures === 1) await this.bounded(this.redis.expire(failuresKey, windowSeconds));
    if (failures >= threshold) {
      const seconds = Math.min(baseSeconds * 2 ** Math.min(failures - threshold, 30), maxSeconds);
      await this.bounded(this.redis.set(this.key('lock', email), '1', 'EX', seconds));
    }
  }

  async recordSuccess(email: string): Promise<void> {
    await this.bounded(this.redis.del(this.key('failures', email), this.key('lock', email)));
  }

  private key(kind: 'failures' | 'lock', email: string): string {
    return `login-${kind}:${createHash('sha256').update(email.trim().toLowerCase()).digest('hex')}`;
  }

  private async bounded<T>(call: Promise<T>): Promise<T | undefined> {
    try {
      return await withTimeout(call, REDIS_TIMEOUT_MS, `Redis did not answer within ${REDIS_TIMEOUT_MS} ms`);
    } catch (error) {
      this.logger.warn(`login lockout skipped: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  }
}
