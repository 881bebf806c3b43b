import { join } from 'node:path';
import { log } from './log.mjs';
import { PROJECT_DIR } from './paths.mjs';
import { run, runStatus } from './run.mjs';

export const API_MAIN = join(PROJECT_DIR, 'dist/apps/api/apps/api/src/main.js');
export const DATABASE_CLI = join(PROJECT_DIR, 'dist/apps/api/apps/api/src/cli/database-cli.js');
export const OPENAPI_CLI = join(PROJECT_DIR, 'dist/apps/api/apps/api/src/cli/openapi-cli.js');
export const WORKER_MAIN = join(PROJECT_DIR, 'dist/apps/worker/apps/worker/src/main.js');

const NEST = join(PROJECT_DIR, 'node_modules/.bin/nest');

/** Type-checks and compiles both apps into dist/ (nest build, tsc builder). */
export async function buildApps() {
  log('building api and worker...');
  await run(NEST, ['build', 'api'], { cwd: PROJECT_DIR });
  await run(NEST, ['build', 'worker'], { cwd: PROJECT_DIR });
}

export async function buildApi() {
  log('building api...');
  await run(NEST, ['build', 'api'], { cwd: PROJECT_DIR });
}

/** Runs the database CLI (migrate, revert, seed) from the built app. */
export function databaseCli(args, env) {
  return run(process.execPath, [DATABASE_CLI, ...args], { cwd: PROJECT_DIR, env });
}

/** Runs the OpenAPI CLI (write, check) from the built app; resolves to its exit code. */
export function openApiCli(args) {
  return runStatus(process.execPath, [OPENAPI_CLI, ...args], { cwd: PROJECT_DIR });
}
