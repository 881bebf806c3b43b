#!/usr/bin/env node
/**
 * PostgreSQL and Redis as `npm start` provisions them, on URLs of the test's own:
 * `node local-services.mjs <state dir> <postgres url> <redis url>` prints
 * "ready <postgres pid> <redis pid>", then "pids <postgres pid> <redis pid>" on each line read
 * from stdin, and on SIGTERM stops both (only what it started) and exits.
 */
import { createInterface } from 'node:readline';
import { ensurePostgres } from '../../../scripts/lib/postgres.mjs';
import { ensureRedis } from '../../../scripts/lib/redis.mjs';

const [stateDir, postgresUrl, redisUrl] = process.argv.slice(2);
const postgres = await ensurePostgres(postgresUrl, stateDir);
const redis = await ensureRedis(redisUrl, stateDir);
const pids = () => `${postgres.current()?.pid} ${redis.current()?.pid}`;
process.stdout.write(`ready ${pids()}\n`);
createInterface({ input: process.stdin }).on('line', () => process.stdout.write(`pids ${pids()}\n`));
process.on('SIGTERM', () => {
  void (async () => {
    await redis.stop();
    await postgres.stop();
    process.exit(0);
  })();
});
