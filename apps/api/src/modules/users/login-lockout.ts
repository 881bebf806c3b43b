import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { TooManyRequestsError } from '@app/errors';
import { failOpen, IntermittentWarning, REDIS_CLIENT, RedisClient } from '@app/redis';

/** A Redis call on the login path waits at most this long; then the lockout steps aside. */
const REDIS_TIMEOUT_MS = 250;

/**
 * One login attempt, checked and counted in one step (so parallel guesses
 * cannot all pass the check before any is counted).
 * KEYS: 1 the (account, client) wait, 2 the (account, client) attempts, 3 the account's attempts.
 * ARGV: 1 threshold, 2 account threshold, 3 base ms, 4 max ms, 5 window s.
 * Returns {0, ms to wait} when this client must wait, else {1, 0}.
 *
 * Each attempt counts as a failure until it is known to be one or not
 * (`succeeded` takes it back). The attempt that reaches the client's threshold
 * sets the wait at once, so attempts racing it are refused; if it turns out to
 * be the right password, `succeeded` lifts the wait again. Once the account as
 * a whole has `accountThreshold` attempts in the window (guessing from many
 * addresses), each client gets one attempt before its wait, and the wait
 * grows with the account's count: rotating addresses buys one guess per
 * address per wait. A client that has not failed is always let through to
 * the password check, so nobody can lock a user out from elsewhere.
 */
const ATTEMPT = `
local wait = redis.call('PTTL', KEYS[1])
if wait > 0 then return {0, wait} end
local accountBefore = tonumber(redis.call('GET', KEYS[3]) or '0')
local attempts = redis.call('INCR', KEYS[2])
if attempts == 1 then redis.call('EXPIRE', KEYS[2], ARGV[5]) end
local account = redis.call('INCR', KEYS[3])
if account == 1 then redis.call('EXPIRE', KEYS[3], ARGV[5]) end
local threshold = tonumber(ARGV[1])
local accountThreshold = tonumber(ARGV[2])
local guarded = accountBefore >= accountThreshold
local limit = threshold
if guarded then limit = 1 end
if attempts >= limit then
  local steps = attempts - limit
  if guarded then steps = math.max(steps, accountBefore - accountThreshold) end
  local ms = math.min(tonumber(ARGV[3]) * 2 ^ math.min(steps, 30), tonumber(ARGV[4]))
  redis.call('SET', KEYS[1], '1', 'PX', math.floor(ms))
end
return {1, 0}
`;

/** The attempt was the right password: the client's count and wait go, and the account's count takes it back. */
const SUCCEEDED = `
redis.call('DEL', KEYS[1], KEYS[2])
local account = tonumber(redis.call('GET', KEYS[3]) or '0')
if account > 0 then redis.call('DECR', KEYS[3]) end
return 1
`;

/**
 * Slows password guessing per (account, client) and, across clients, per
 * account, without letting anyone lock a user out: see ATTEMPT for the rule
 * and docs/security.md for the threat model. Counted per normalized email
 * whether or not an account has it, so the answers reveal nothing about which
 * emails exist. Keys hold hashes, never the email or the address. If Redis
 * does not answer, logins proceed (fail open, like the rate limits): an
 * outage of the counter store must not lock everyone out.
 */
@Injectable()
export class LoginLockout {
  private readonly warning = new IntermittentWarning(new Logger(LoginLockout.name));

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: RedisClient,
    private readonly config: AppConfig,
  ) {}

  /**
   * Counts one attempt of `client` on `email` before its password is checked;
   * throws 429 with Retry-After while this client has to wait for this account.
   */
  async beginAttempt(email: string, client: string): Promise<void> {
    const { threshold, accountThreshold, baseSeconds, maxSeconds, windowSeconds } = this.config.loginLockout;
    const result = (await this.bounded(
      this.redis.eval(ATTEMPT, 3, ...this.keys(email, client), threshold, accountThreshold, baseSeconds * 1000, maxSeconds * 1000, windowSeconds),
    )) as [number, number] | undefined;
    if (result === undefined || result[0] === 1) return;
    const seconds = Math.max(1, Math.ceil(result[1] / 1000));
    throw new TooManyRequestsError(seconds, `too many failed logins for this account from this client; try again in ${seconds} s`);
  }

  /** The attempt begun for `client` on `email` had the right password. */
  async succeeded(email: string, client: string): Promise<void> {
    await this.bounded(this.redis.eval(SUCCEEDED, 3, ...this.keys(email, client)));
  }

  /**
   * Key names, for tests and operators: the client's wait, the client's attempts, the account's
   * attempts. All three carry the account as their hash tag, so one script may touch them on a
   * Redis Cluster (one slot per account; accounts spread over the nodes).
   */
  keys(email: string, client: string): [string, string, string] {
    const account = digest(email.trim().toLowerCase());
    const pair = digest(`${account}\n${client}`);
    return [`login:{${account}}:wait:${pair}`, `login:{${account}}:attempts:${pair}`, `login:{${account}}:attempts`];
  }

  private bounded<T>(call: Promise<T>): Promise<T | undefined> {
    return failOpen(call, REDIS_TIMEOUT_MS, this.warning, 'login lockout');
  }
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
