import { join } from 'node:path';
import { log } from './log.mjs';
import { BUILT, PROJECT_DIR } from './processes.cjs';
import { run, runStatus } from './run.mjs';

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
  return run(process.execPath, [BUILT.databaseCli, ...args], { cwd: PROJECT_DIR, env });
}

/** Runs the OpenAPI CLI (write, check) from the built app; resolves to its exit code. */
export function openApiCli(args) {
  return runStatus(process.execPath, [BUILT.openApiCli, ...args], { cwd: PROJECT_DIR });
}
