#!/usr/bin/env node
/**
 * `npm test`: the whole test suite from nothing. Lints (ESLint, Prettier), provisions like `npm start`,
 * then gives this run its own database and Redis key prefix, builds, migrates,
 * runs Jest (unit, integration and e2e against the real PostgreSQL and Redis), the official
 * RealWorld Postman suite (newman) against the built API, the e2e suites a second time
 * through PgBouncer in transaction mode, and cleans up.
 * Extra arguments go to Jest (e.g. `npm test -- apps/api/test/articles`).
 *
 * Ends with `tests: N passed, N failed, N skipped`; each skipped test is listed
 * with its reason. With CONDUIT_FAIL_ON_SKIP=1 (as `.ci/run` sets) a skip fails
 * the run unless its title matches CONDUIT_ALLOWED_SKIPS (a regular expression):
 * on the machine kind CI runs on, every test can run.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDependencies } from './lib/dependencies.mjs';
import { log, warn } from './lib/log.mjs';
import { localStateDir, PROJECT_DIR } from './lib/paths.mjs';

await ensureDependencies();
const { provisionServices } = await import('./lib/services.mjs');
const { buildApps, databaseCli } = await import('./lib/build.mjs');
const { createDatabase, dropDatabase } = await import('./lib/postgres.mjs');
const { deleteKeysWithPrefix } = await import('./lib/redis.mjs');
const { runStatus } = await import('./lib/run.mjs');
const { runRealWorldSuite } = await import('./lib/realworld-suite.mjs');
const { ensureTestTools } = await import('./lib/test-tools.mjs');
const { closingLine, summarizeJest } = await import('./lib/test-summary.mjs');
const { runLint } = await import('./lib/lint.mjs');
const { startPgBouncer } = await import('./lib/pgbouncer.mjs');
const { startClusterTopology } = await import('./lib/redis-topologies.cjs');
const { runFailoverPass } = await import('./lib/failover/pass.mjs');
/** The suites of what Redis holds: the cache, rate limits, the login lockout, the queues and the worker. */
const REDIS_SUITES = [
  'libs/cache/src/generation-tokens',
  'apps/api/src/modules/users/login-lockout',
  'apps/api/test/cache',
  'apps/api/test/rate-limit',
  'apps/api/test/security',
  'apps/worker/test/background-jobs',
];

const wholeSuite = process.argv.length <= 2;
const failOnSkip = process.env.CONDUIT_FAIL_ON_SKIP === '1';

const runId = `${Date.now().toString(36)}_${process.pid}`;
const services = await provisionServices({ NODE_ENV: 'test' });
// Interrupted (Ctrl+C, a CI timeout's SIGTERM): stop what this run started rather than leave it running.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    warn(`${signal}: stopping the services this run started`);
    void services.stop().finally(() => process.exit(130));
  });
}
await ensureTestTools();
const baseEnv = services.env;
const database = `conduit_test_${runId}`;
const databaseUrl = Object.assign(new URL(baseEnv.DATABASE_URL), { pathname: `/${database}` }).toString();
const env = {
  ...baseEnv,
  NODE_ENV: 'test',
  DATABASE_URL: databaseUrl,
  REDIS_KEY_PREFIX: `conduit:test:${runId}:`,
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'error',
  // Cheaper argon2id parameters keep hundreds of test registrations fast; production minimums are enforced by config.
  ARGON2_MEMORY_KIB: '4096',
  ARGON2_TIME_COST: '1',
  // Suites register hundreds of users from one address; the rate-limit suite starts its own instances with tight limits.
  RATE_LIMIT_LIMIT: '10000000',
  RATE_LIMIT_AUTH_LIMIT: '10000000',
  // Suites that run a worker pick a free metrics port themselves.
  WORKER_METRICS_PORT: '0',
  WEBHOOK_BACKOFF_MS: '200',
  WEBHOOK_MAX_ATTEMPTS: '3',
  WEBHOOK_TIMEOUT_MS: '1000',
  // The suites' webhook receivers listen on loopback on free ports: an explicit opt-out of the
  // target guard, which is on everywhere else (one suite runs with it on).
  WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
  WEBHOOK_ALLOWED_PORTS: '*',
  OUTBOX_POLL_INTERVAL_MS: '50',
  // Tests reach the API over loopback, as the local gateway does.
  TRUSTED_PROXIES: 'loopback',
  // Fault-injection suites start PostgreSQL servers of their own here (reachable by the postgres user).
  CONDUIT_TEST_STATE_DIR: localStateDir(),
};
const outputDir = join(PROJECT_DIR, '.local', 'test-output');
mkdirSync(outputDir, { recursive: true });

const results = { passed: 0, failed: 0, skipped: 0 };
/** What failed, by name, repeated just above the closing line (a long log's tail is what CI shows). */
const failures = [];
let exitCode = 1;
try {
  // First, and on the whole suite only: a style problem should not hide behind a long run.
  if (wholeSuite) {
    const lint = await runLint();
    results.passed += lint.passed;
    results.failed += lint.failed;
    failures.push(...lint.failures);
  }
  log(`test run ${runId}: database ${database}, Redis prefix ${env.REDIS_KEY_PREFIX}`);
  await createDatabase(baseEnv.DATABASE_URL, database);
  await buildApps();
  await databaseCli(['migrate'], env);

  await runJest(process.argv.slice(2), env, '');
  if (wholeSuite) {
    const suite = await runRealWorldSuite(env);
    results.passed += suite.passed;
    results.failed += suite.failed;
    failures.push(...suite.failures);
  }
  // The e2e suites again, with DATABASE_URL through PgBouncer in transaction mode (docs/scaling.md).
  if (wholeSuite || process.env.CONDUIT_PGBOUNCER_PASS === '1') await runPoolerPass();
  // What Redis serves, again on a Redis Cluster (docs/scaling.md).
  if (wholeSuite || process.env.CONDUIT_REDIS_CLUSTER_PASS === '1') await runRedisClusterPass();
  // The system on three nodes, failed over under load (docs/scaling.md; npm run test:failover alone).
  if (wholeSuite || process.env.CONDUIT_FAILOVER_PASS === '1') await runFailover();
  exitCode = results.failed === 0 ? 0 : 1;
} catch (error) {
  warn(error instanceof Error ? (error.stack ?? error.message) : String(error));
  results.failed += 1;
  failures.push(`the run itself: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  if (!process.env.KEEP_TEST_DATABASE) {
    await dropDatabase(baseEnv.DATABASE_URL, database).catch((error) => warn(`could not drop ${database}: ${error.message}`));
    await deleteKeysWithPrefix(baseEnv.REDIS_URL, env.REDIS_KEY_PREFIX).catch((error) => warn(`could not clean Redis keys: ${error.message}`));
  }
  await services.stop();
}
/** Runs Jest with `args` and `runEnv` and adds its counts to the run's; `label` names the pass in skip messages. */
async function runJest(args, runEnv, label) {
  const jestResults = join(outputDir, `jest-${runId}${label.replace(/[^a-zA-Z]+/g, '-').replace(/-$/, '')}.json`);
  const jestCode = await runStatus(join(PROJECT_DIR, 'node_modules/.bin/jest'), ['--maxWorkers=2', '--json', `--outputFile=${jestResults}`, ...args], {
    cwd: PROJECT_DIR,
    env: runEnv,
  });
  const failedBefore = results.failed;
  try {
    const jest = summarizeJest(JSON.parse(readFileSync(jestResults, 'utf8')), {
      failOnSkip,
      allowed: process.env.CONDUIT_ALLOWED_SKIPS ? new RegExp(process.env.CONDUIT_ALLOWED_SKIPS) : undefined,
    });
    results.passed += jest.passed;
    results.failed += jest.failed;
    results.skipped += jest.skipped.length;
    failures.push(...jest.failures.map((name) => `${name}${label}`));
    for (const name of jest.skipped) warn(`skipped${label}: ${name}`);
    if (jest.refused.length > 0) {
      warn(
        `${jest.refused.length} test(s) skipped that can run on this machine kind (CONDUIT_FAIL_ON_SKIP=1): install what they name, or run as root so npm test can`,
      );
    }
  } catch {
    results.failed += 1;
    failures.push(`Jest${label}: no results written to ${jestResults}`);
  }
  if (jestCode !== 0 && results.failed === failedBefore) {
    results.failed += 1;
    failures.push(`Jest${label}: exited with ${jestCode} though every test passed`);
  }
}

/**
 * The e2e project a second time, every connection of the API and the worker through a PgBouncer
 * in transaction mode that this run starts (installed with apt as root), the migrator directly.
 * Where PgBouncer cannot be had, the pass is one skipped test that says why.
 */
async function runPoolerPass() {
  let bouncer;
  try {
    bouncer = await startPgBouncer(databaseUrl, localStateDir());
  } catch (error) {
    warn(`skipped: the e2e suites through PgBouncer (${error.message})`);
    results.skipped += 1;
    if (failOnSkip) {
      results.failed += 1;
      failures.push(`the e2e suites through PgBouncer were skipped (${error.message})`);
    }
    return;
  }
  try {
    log(`e2e suites again through PgBouncer (transaction pooling) at ${bouncer.url.replace(/:[^:@/]*@/, ':***@')}`);
    const poolerEnv = {
      ...env,
      DATABASE_URL: bouncer.url,
      DATABASE_DIRECT_URL: databaseUrl,
      DATABASE_POOLING: 'transaction',
      REDIS_KEY_PREFIX: `${env.REDIS_KEY_PREFIX}pooler:`,
    };
    const paths = process.argv.slice(2);
    // Paths first: --selectProjects takes every value after it.
    await runJest([...paths, '--selectProjects', 'e2e'], poolerEnv, ' (through PgBouncer)');
  } finally {
    await bouncer.stop();
  }
}

/**
 * The Redis suites a second time on a six-node Redis Cluster (three masters, a replica each) that
 * this run starts from Debian's redis-server: the run's own Redis connections (REDIS_CLUSTER_NODES)
 * and the suites that start a Redis of their own (CONDUIT_TEST_REDIS_TOPOLOGY) alike. Where the
 * cluster cannot be started, the pass is one skipped test that says why.
 */
async function runRedisClusterPass() {
  let cluster;
  try {
    cluster = await startClusterTopology({ dir: join(localStateDir(), `redis-cluster-${process.pid}`) });
  } catch (error) {
    warn(`skipped: the Redis suites on a Redis Cluster (${error.message})`);
    results.skipped += 1;
    if (failOnSkip) {
      results.failed += 1;
      failures.push(`the Redis suites on a Redis Cluster were skipped (${error.message})`);
    }
    return;
  }
  try {
    log(`Redis suites again on a Redis Cluster at ${cluster.env().REDIS_CLUSTER_NODES}`);
    const clusterEnv = { ...env, ...cluster.env(), CONDUIT_TEST_REDIS_TOPOLOGY: 'cluster', REDIS_KEY_PREFIX: `${env.REDIS_KEY_PREFIX}cluster:` };
    const paths = wholeSuite ? REDIS_SUITES : process.argv.slice(2);
    await runJest([...paths, '--selectProjects', 'integration', 'e2e'], clusterEnv, ' (on Redis Cluster)');
  } finally {
    await cluster.stop();
  }
}

/** The failover suite's checks, counted with the rest; where it cannot run, one skipped test that says why. */
async function runFailover() {
  log('failover suite: three nodes (network namespaces), Patroni, Sentinel, under load');
  const failover = await runFailoverPass({ build: false });
  process.stdout.write(`${failover.line}\n`);
  results.passed += failover.passed;
  results.failed += failover.failed;
  failures.push(...failover.failures);
  if (failover.skipped) {
    warn(`skipped: ${failover.skipped}`);
    results.skipped += 1;
    if (failOnSkip) {
      results.failed += 1;
      failures.push(`${failover.skipped} was skipped`);
    }
  }
}

// The one summary line CI reads, for Jest and the RealWorld suite together, after what failed.
for (const name of failures) process.stdout.write(`\nfailed: ${name}`);
process.stdout.write(`\n${closingLine(results)}\n`);
process.exit(exitCode);
