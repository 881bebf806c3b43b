// @ts-check
'use strict';
/**
 * What each hashing thread runs (HashingThreads, on piscina): argon2id from @node-rs/argon2,
 * synchronously, one task at a time. Piscina has already lowered this thread's CPU priority
 * (niceIncrement; on Linux the nice value is per thread), so hashing takes only CPU that nothing
 * else wants. Plain CommonJS, not TypeScript: a thread loads it as it is, from the sources under
 * Jest and from dist/ (tsc copies it there) in the built app.
 */
const { getPriority } = require('node:os');
const { Algorithm, hashSync, verifySync } = require('@node-rs/argon2');

/** Milliseconds since the epoch with sub-millisecond precision, comparable between threads. */
const now = () => performance.timeOrigin + performance.now();

/**
 * @param {{ op: 'hash', password: string, parameters: { memoryCost: number, timeCost: number, parallelism: number } }
 *   | { op: 'verify', hash: string, password: string }
 *   | { op: 'priority' }} task
 * @returns {{ value: string | boolean | number, startedAt: number, finishedAt: number }}
 */
module.exports = function runHashingTask(task) {
  const startedAt = now();
  const value =
    task.op === 'hash'
      ? hashSync(task.password, { algorithm: Algorithm.Argon2id, ...task.parameters })
      : task.op === 'verify'
        ? verifySync(task.hash, task.password)
        : getPriority();
  return { value, startedAt, finishedAt: now() };
};
