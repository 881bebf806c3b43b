import { readdirSync, readFileSync } from 'node:fs';
import { HashingQueueFullError, HashingThreads } from './hashing-threads';

const CHEAP = { memoryCost: 1024, timeCost: 1, parallelism: 1 };

/** The nice value in a Linux /proc stat line (field 19). */
const niceOf = (stat: string) => Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
/** Nice values of this process's threads. */
const threadNiceValues = () => readdirSync('/proc/self/task').map((tid) => niceOf(readFileSync(`/proc/self/task/${tid}/stat`, 'utf8')));

describe('HashingThreads', () => {
  let threads: HashingThreads;
  beforeEach(async () => {
    threads = new HashingThreads(2);
    await threads.start();
  });
  afterEach(() => threads.stop());

  it('hashes with argon2id and verifies, however many tasks wait at once', async () => {
    const hashes = await Promise.all(Array.from({ length: 6 }, (_, i) => threads.hash(`password-${i}`, CHEAP)));
    for (const hash of hashes) expect(hash).toMatch(/^\$argon2id\$v=19\$m=1024,t=1,p=1\$/);
    expect(await Promise.all(hashes.map((hash, i) => threads.verify(hash, `password-${i}`)))).toEqual(Array(6).fill(true));
    expect(await threads.verify(hashes[0], 'wrong')).toBe(false);
    await expect(threads.verify('not a hash', 'x')).rejects.toThrow();
  });

  it('runs its threads at the lowest CPU priority', () => {
    expect(threads.lowered).toBe(true);
    expect(threadNiceValues().filter((nice) => nice === 19).length).toBeGreaterThanOrEqual(2);
    // only those threads: the main thread (the event loop) keeps its priority
    expect(niceOf(readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8'))).toBe(0);
  });

  it('replaces a thread that died', async () => {
    await threads.threads[0].terminate();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const hash = await threads.hash('after', CHEAP);
    expect(await threads.verify(hash, 'after')).toBe(true);
    expect(threads.threads).toHaveLength(2);
  });

  it('queues at most maxQueued tasks behind busy threads and refuses the next at once, saying when to retry', async () => {
    const depths: number[] = [];
    const waits: number[] = [];
    const bounded = new HashingThreads(1, 2, { queued: (depth) => depths.push(depth), waited: (seconds) => waits.push(seconds) });
    await bounded.start();
    try {
      const slow = { memoryCost: 16_384, timeCost: 3, parallelism: 1 };
      const accepted = [bounded.hash('a', slow), bounded.hash('b', slow), bounded.hash('c', slow)]; // one runs, two wait
      const refused = await bounded.hash('d', slow).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(refused).toBeInstanceOf(HashingQueueFullError);
      expect((refused as HashingQueueFullError).retryAfterSeconds).toBeGreaterThanOrEqual(1);
      expect(Math.max(...depths)).toBe(2);
      await Promise.all(accepted);
      expect(depths.at(-1)).toBe(0);
      expect(waits).toHaveLength(3);
      // room again once the queue drained
      await expect(bounded.hash('e', CHEAP)).resolves.toMatch(/^\$argon2id\$/);
    } finally {
      await bounded.stop();
    }
  });
});
