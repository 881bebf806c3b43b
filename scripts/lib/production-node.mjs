import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { log, warn } from './log.mjs';
import { PROJECT_DIR } from './paths.mjs';

/**
 * The Node.js release the production image runs (docker/Dockerfile: node:<major>-...), pinned
 * to one patch release so that benchmark runs compare like with like.
 * test/deployment/gateway.spec.ts checks that the major matches the Dockerfile's.
 */
export const PRODUCTION_NODE_VERSION = '24.22.3';

/**
 * The path of a `node` executable of PRODUCTION_NODE_VERSION, so that the
 * benchmark and the soak test measure the runtime production uses rather
 * than whatever Node this machine has (they differ by 2x in throughput
 * between Node 20 and 24 on the same code; docs/benchmarks.md).
 *
 * The official binary comes from the npm registry (package node-<os>-<arch>,
 * the one the `node` package installs; npm checks its integrity) and is kept
 * in `.local/runtimes/`. Without the registry the machine's own Node is used,
 * with a warning, and the results say which Node ran.
 */
export function productionNode() {
  if (process.version === `v${PRODUCTION_NODE_VERSION}`) return process.execPath;
  const dir = join(PROJECT_DIR, '.local', 'runtimes', `node-v${PRODUCTION_NODE_VERSION}-${process.platform}-${process.arch}`);
  const executable = join(dir, 'bin', 'node');
  if (existsSync(executable)) return executable;
  const packageName = `node-${process.platform}-${process.arch}@${PRODUCTION_NODE_VERSION}`;
  log(`fetching Node.js ${PRODUCTION_NODE_VERSION} (the production image's runtime) from the npm registry (${packageName})...`);
  const download = join(PROJECT_DIR, '.local', 'runtimes', 'download');
  rmSync(download, { recursive: true, force: true });
  mkdirSync(download, { recursive: true });
  try {
    const [packed] = JSON.parse(
      execFileSync('npm', ['pack', packageName, '--json', '--pack-destination', download], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }),
    );
    const unpacked = spawnSync('tar', ['-xzf', join(download, packed.filename), '-C', download]);
    if (unpacked.status !== 0) throw new Error(`tar: ${unpacked.stderr}`);
    renameSync(join(download, 'package'), dir);
    return executable;
  } catch (error) {
    warn(
      `could not fetch Node.js ${PRODUCTION_NODE_VERSION} (${error instanceof Error ? error.message.split('\n')[0] : error}); using this machine's Node ${process.version}`,
    );
    return process.execPath;
  } finally {
    rmSync(download, { recursive: true, force: true });
  }
}

/** `v24.22.3` for a node executable. */
export function nodeVersionOf(executable) {
  return execFileSync(executable, ['--version'], { encoding: 'utf8' }).trim();
}
