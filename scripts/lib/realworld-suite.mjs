import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { log } from './log.mjs';
import { PROJECT_DIR } from './paths.mjs';
import { BUILT, freePort, httpOk, startBuilt } from './processes.cjs';

const require = createRequire(import.meta.url);

/** The official collection lives beside the project (../shared/realworld); a copy may be pointed to. */
export function realWorldCollectionPath() {
  return resolve(process.env.REALWORLD_COLLECTION ?? join(PROJECT_DIR, '..', 'shared', 'realworld', 'Conduit.postman_collection.json'));
}

/**
 * Starts the built API on a free port and runs the official RealWorld Postman
 * collection against it with newman, as ../shared/realworld/run-api-tests.sh does.
 * Returns assertion counts.
 */
export async function runRealWorldSuite(env) {
  const collection = realWorldCollectionPath();
  if (!existsSync(collection)) throw new Error(`RealWorld Postman collection not found at ${collection}`);
  const port = await freePort();
  const api = await startBuilt({
    name: 'the API for the RealWorld suite',
    script: BUILT.api,
    env: { ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: 'inherit',
    ready: () => httpOk(`http://127.0.0.1:${port}/health/ready`),
  });
  try {
    log('running the official RealWorld API suite (newman)...');
    const username = `rw${Date.now().toString(36)}`;
    const newman = require('newman');
    const summary = await new Promise((resolvePromise, reject) => {
      newman.run(
        {
          collection: require(collection),
          reporters: ['cli'],
          globalVar: [
            { key: 'APIURL', value: `http://127.0.0.1:${port}/api` },
            { key: 'USERNAME', value: username },
            { key: 'EMAIL', value: `${username}@mail.com` },
            { key: 'PASSWORD', value: 'password' },
          ],
        },
        (error, result) => (error ? reject(error) : resolvePromise(result)),
      );
    });
    const assertions = summary.run.stats.assertions;
    const requests = summary.run.stats.requests;
    // `failures` lists failed assertions, request errors and script errors alike.
    const failed = summary.run.failures.length;
    log(`RealWorld suite: ${requests.total} requests, ${assertions.total} assertions, ${assertions.failed} failed assertions, ${failed} failures in all`);
    const failures = summary.run.failures.map(
      (failure) => `RealWorld suite: ${failure.source?.name ?? 'a request'}: ${failure.error?.test ?? failure.error?.message ?? 'failed'}`,
    );
    return { passed: assertions.total - assertions.failed, failed, failures };
  } finally {
    await api.stop();
  }
}
