import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { log } from './log.mjs';
import { PROJECT_DIR } from './paths.mjs';
import { run } from './run.mjs';

/** Installs npm dependencies when node_modules is missing or older than the lock file. */
export async function ensureDependencies() {
  const installed = join(PROJECT_DIR, 'node_modules', '.package-lock.json');
  const lock = join(PROJECT_DIR, 'package-lock.json');
  if (existsSync(installed) && statSync(installed).mtimeMs >= statSync(lock).mtimeMs) return;
  log('installing npm dependencies (npm ci)...');
  await run('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: PROJECT_DIR });
}
