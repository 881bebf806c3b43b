import { join } from 'node:path';
import { log } from './log.mjs';
import { PROJECT_DIR } from './paths.mjs';
import { run } from './run.mjs';

export const API_MAIN = join(PROJECT_DIR, 'dist/apps/api/apps/api/src/main.js');
export const DATABASE_CLI = join(PROJECT_DIR, 'dist/apps/api/apps/api/src/cli/database-cli.js');
export const WORKER_MAIN = join(PROJECT_DIR, 'dist/apps/worker/apps/worker/src/main.js');

/** Type-checks and compiles both apps into dist/ (nest build, tsc builder). */
export async function buildApps() {
  log('building api and worker...');
  const nest = join(PROJECT_DIR, 'node_modules/.bin/nest');
  await run(nest, ['build', 'api'], { cwd: PROJECT_DIR });
  await run(nest, ['build', 'worker'], { cwd: PROJECT_DIR });
}

/** Runs the database CLI (migrate, revert, seed) from the built app. */
export function databaseCli(args, env) {
  return run(process.execPath, [DATABASE_CLI, ...args], { cwd: PROJECT_DIR, env });
}
