import { join } from 'node:path';
import { Piscina } from 'piscina';

export interface Argon2Parameters {
  readonly memoryCost: number;
  readonly timeCost: number;
  readonly parallelism: number;
}

type HashingTask = { op: 'hash'; password: string; parameters: Argon2Parameters } | { op: 'verify'; hash: string; password: string } | { op: 'priority' };

/** What hashing.worker.cjs answers: the task's value and when, on the thread, it started and ended. */
interface HashingResult<T> {
  readonly value: T;
  readonly startedAt: number;
  readonly finishedAt: number;
}

/** The nice value piscina gives the threads: the lowest priority there is. */
const LOWEST_PRIORITY = 19;
/** Piscina's message when its queue is full (it exports no error class to test against). */
const QUEUE_FULL = /queue is at limit|no task queue available/i;

/** Milliseconds since the epoch with sub-millisecond precision, comparable with the threads' clocks. */
const now = () => performance.timeOrigin + performance.now();

/** The queue of hashes is full: the caller should answer 503 and ask the client to come back later. */
export class HashingQueueFullError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super(`password hashing queue is full; retry in ${retryAfterSeconds} s`);
    this.name = 'HashingQueueFullError';
  }
}

export interface HashingObserver {
  /** The number of tasks waiting for a thread changed. */
  queued(depth: number): void;
  /** A task got a thread after waiting this long. */
  waited(seconds: number): void;
}

const NO_OBSERVER: HashingObserver = { queued: () => undefined, waited: () => undefined };

/**
 * A fixed number of low-priority threads for password hashing (as many as
 * ARGON2_MAX_CONCURRENT), a piscina pool: at most that many hashes run at once,
 * at most `maxQueued` more wait in order, and any further one is refused at once
 * (HashingQueueFullError) instead of making every login behind it wait longer.
 * The threads run at nice 19, so that hashing takes only CPU that nothing else
 * wants: a flood of logins cannot slow the other requests down, it slows the
 * logins. A thread that dies is replaced; its task fails.
 */
export class HashingThreads {
  private readonly pool: Piscina<HashingTask, HashingResult<unknown>>;
  /** Moving average of how long one task holds a thread, for Retry-After. */
  private averageTaskMs = 50;
  /** Whether the threads could lower their priority (not where the OS refuses). */
  lowered = true;

  constructor(
    private readonly size: number,
    maxQueued = Number.POSITIVE_INFINITY,
    private readonly observer: HashingObserver = NO_OBSERVER,
  ) {
    this.pool = new Piscina({
      filename: join(__dirname, 'hashing.worker.cjs'),
      minThreads: size,
      maxThreads: size,
      maxQueue: maxQueued,
      idleTimeout: Number.POSITIVE_INFINITY,
      niceIncrement: LOWEST_PRIORITY,
    });
  }

  /** Starts every thread and checks that each runs at the lowest priority. */
  async start(): Promise<void> {
    // Straight to the pool: a probe is no login, the wait metrics leave it out.
    const probes = await Promise.all(Array.from({ length: this.size }, () => this.pool.run({ op: 'priority' })));
    this.lowered = probes.every((probe) => probe.value === LOWEST_PRIORITY);
  }

  hash(password: string, parameters: Argon2Parameters): Promise<string> {
    return this.run<string>({ op: 'hash', password, parameters });
  }

  verify(hash: string, password: string): Promise<boolean> {
    return this.run<boolean>({ op: 'verify', hash, password });
  }

  async stop(): Promise<void> {
    await this.pool.destroy();
  }

  /** The pool's threads (for tests that kill one). */
  get threads(): readonly { terminate(): Promise<number> }[] {
    return this.pool.threads;
  }

  private async run<T>(task: HashingTask): Promise<T> {
    const submittedAt = now();
    let result: HashingResult<unknown>;
    try {
      const running = this.pool.run(task);
      this.observer.queued(this.pool.queueSize);
      result = await running;
    } catch (error) {
      if (error instanceof Error && QUEUE_FULL.test(error.message)) throw this.queueFull();
      throw error;
    } finally {
      this.observer.queued(this.pool.queueSize);
    }
    this.observer.waited(Math.max(0, result.startedAt - submittedAt) / 1000);
    this.averageTaskMs = this.averageTaskMs * 0.9 + (result.finishedAt - result.startedAt) * 0.1;
    return result.value as T;
  }

  /** What the queue ahead will take to drain, by the threads at their recent pace. */
  private queueFull(): HashingQueueFullError {
    const seconds = Math.max(1, Math.ceil(((this.pool.queueSize / this.size + 1) * this.averageTaskMs) / 1000));
    return new HashingQueueFullError(seconds);
  }
}
