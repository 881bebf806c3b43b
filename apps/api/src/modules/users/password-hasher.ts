import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { BusyError } from '@app/errors';
import { METRICS } from '@app/metrics';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter, Gauge, Histogram } from 'prom-client';
import { Argon2Parameters, HashingQueueFullError, HashingThreads } from './hashing-threads';

/** `$argon2id$v=19$m=19456,t=2,p=1$salt$hash`: the algorithm, version and parameters a hash was made with. */
const PHC = /^\$(argon2(?:id|i|d))\$v=(\d+)\$m=(\d+),t=(\d+),p=(\d+)\$/;
const ARGON2_VERSION = 19;

/**
 * argon2id with parameters from config, on ARGON2_MAX_CONCURRENT threads of
 * their own at the lowest CPU priority (HashingThreads): a login never blocks
 * the event loop, and logins at full rate take only the CPU that other
 * requests leave. At most ARGON2_MAX_QUEUED hashes wait; beyond that the
 * request gets 503 with Retry-After at once (BusyError), so a login flood
 * cannot make every login wait without bound.
 */
@Injectable()
export class PasswordHasher implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('PasswordHasher');
  /** Verified against when the email is unknown, so both failures cost the same time. */
  private dummyHash = '';
  private readonly threads: HashingThreads;

  constructor(
    private readonly config: AppConfig,
    @InjectMetric(METRICS.hashingQueued) queued: Gauge<string>,
    @InjectMetric(METRICS.hashingWait) wait: Histogram<string>,
    @InjectMetric(METRICS.hashingRefused) private readonly refused: Counter<string>,
  ) {
    this.threads = new HashingThreads(config.argon2.maxConcurrent, config.argon2.maxQueued, {
      queued: (depth) => queued.set(depth),
      waited: (seconds) => wait.observe(seconds),
    });
  }

  async onModuleInit(): Promise<void> {
    await this.threads.start();
    if (!this.threads.lowered) this.logger.warn('could not lower the priority of the hashing threads; logins compete with other requests for CPU');
    this.dummyHash = await this.hash('not-a-real-password-only-for-timing');
  }

  async onModuleDestroy(): Promise<void> {
    await this.threads.stop();
  }

  hash(password: string): Promise<string> {
    return this.threads.hash(password, this.parameters()).catch((error: unknown) => this.rethrow(error));
  }

  async verify(hash: string | undefined, password: string): Promise<boolean> {
    try {
      const matches = await this.threads.verify(hash ?? this.dummyHash, password);
      return hash !== undefined && matches;
    } catch (error) {
      if (error instanceof HashingQueueFullError) this.rethrow(error);
      return false;
    }
  }

  private rethrow(error: unknown): never {
    if (!(error instanceof HashingQueueFullError)) throw error;
    this.refused.inc();
    throw new BusyError(error.retryAfterSeconds, `too many logins and registrations at once; try again in ${error.retryAfterSeconds} s`);
  }

  /** True when a stored hash was made otherwise than configured now (another algorithm, version or parameters). */
  needsRehash(hash: string): boolean {
    const match = PHC.exec(hash);
    if (!match) return true;
    const { memoryCost, timeCost, parallelism } = this.parameters();
    const [, algorithm, version, m, t, p] = match;
    return algorithm !== 'argon2id' || Number(version) !== ARGON2_VERSION || Number(m) !== memoryCost || Number(t) !== timeCost || Number(p) !== parallelism;
  }

  private parameters(): Argon2Parameters {
    const { memoryKib, timeCost, parallelism } = this.config.argon2;
    return { memoryCost: memoryKib, timeCost, parallelism };
  }
}
