import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { PROJECT_DIR } from './processes.cjs';

export { PROJECT_DIR };
export const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** True when every directory above `path` lets other users through (o+x). */
export function traversableByOthers(path) {
  for (let dir = path; dir !== dirname(dir); dir = dirname(dir)) {
    try {
      if ((statSync(dir).mode & 0o001) === 0) return false;
    } catch {
      return false;
    }
  }
  return true;
}

/**
 * Where local services keep their data. Normally `.local/` in the project.
 * As root, PostgreSQL runs as the `postgres` user, which must reach its data
 * directory; when the checkout sits under a private directory (mktemp -d),
 * the data goes under /var/lib/conduit-dev/<hash of the checkout path> instead.
 */
export function localStateDir() {
  if (process.env.CONDUIT_STATE_DIR) return resolve(process.env.CONDUIT_STATE_DIR);
  if (!isRoot() || traversableByOthers(PROJECT_DIR)) return join(PROJECT_DIR, '.local');
  const hash = createHash('sha1').update(PROJECT_DIR).digest('hex').slice(0, 12);
  return join('/var/lib/conduit-dev', hash);
}
