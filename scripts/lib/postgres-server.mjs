#!/usr/bin/env node
/**
 * A PostgreSQL server of a test's own, for fault injection (libs/testing
 * TestPostgresServer): `node postgres-server.mjs <state dir> <url>` creates the
 * cluster on first use (the URL's user and password), starts it, prints
 * "ready <postmaster pid>", and on SIGTERM shuts it down (fast) and exits.
 * The test crashes it by SIGKILLing the postmaster; starting this script again
 * on the same directory runs PostgreSQL's crash recovery.
 */
import { localStateDir } from './paths.mjs';
import { startEmbedded } from './postgres.mjs';

const [stateDir, url] = process.argv.slice(2);
const { stop } = await startEmbedded(new URL(url), stateDir, localStateDir());
process.stdout.write('ready\n');
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => stop().then(() => process.exit(0)));
}
setInterval(() => {}, 1 << 30);
