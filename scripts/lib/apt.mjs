import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { log } from './log.mjs';
import { isRoot } from './paths.mjs';
import { run } from './run.mjs';

/** The absolute path of `command` if it is installed (PATH or the usual system folders). */
export function findCommand(command) {
  for (const dir of ['/usr/bin', '/usr/local/bin', '/usr/sbin', '/bin']) {
    if (existsSync(`${dir}/${command}`)) return `${dir}/${command}`;
  }
  return spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).stdout.trim() || undefined;
}

/**
 * The path of `command`, installing its Debian package first when it is missing and we may
 * (root with apt-get); otherwise an error that says how to install it (`hint` may add an
 * alternative).
 */
export async function ensureCommand(command, aptPackage, hint = '') {
  const found = findCommand(command);
  if (found !== undefined) return found;
  if (!canAptInstall()) throw new Error(`${command} is not installed. Install it with: sudo apt-get install -y ${aptPackage}${hint}`);
  await aptInstall([aptPackage]);
  const installed = findCommand(command);
  if (installed === undefined) throw new Error(`${command} is still missing after apt-get install ${aptPackage}`);
  return installed;
}

export function canAptInstall() {
  return isRoot() && existsSync('/usr/bin/apt-get');
}

/**
 * Installs Debian packages with apt-get (root only), refreshing the package
 * lists only when the first attempt fails. A temporary policy-rc.d keeps
 * packages from starting system-wide services: the scripts start and stop
 * their own instances.
 */
export async function aptInstall(packages) {
  if (!canAptInstall()) throw new Error(`not root on Debian/Ubuntu; install with: sudo apt-get install -y ${packages.join(' ')}`);
  log(`installing ${packages.join(', ')} with apt-get...`);
  const policy = '/usr/sbin/policy-rc.d';
  const ownPolicy = !existsSync(policy);
  if (ownPolicy) writeFileSync(policy, '#!/bin/sh\nexit 101\n', { mode: 0o755 });
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = ['install', '-y', '-qq', '--no-install-recommends', ...packages];
  const quiet = { env, stdio: ['ignore', 'ignore', 'inherit'] };
  try {
    await run('apt-get', install, quiet).catch(async () => {
      await run('apt-get', ['update', '-qq'], quiet);
      await run('apt-get', install, quiet);
    });
  } finally {
    if (ownPolicy) rmSync(policy, { force: true });
  }
}
