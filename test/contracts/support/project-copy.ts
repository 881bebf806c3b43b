import { cpSync, existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runTool } from '@app/testing';

export const ROOT = join(__dirname, '../../..');

/**
 * What a copy needs to compile, cruise and test the sources. node_modules is linked, not copied;
 * timestamps are kept so the scripts see the lock file as installed (never `npm ci` over the link).
 */
const COPIED = [
  'apps',
  'libs',
  'scripts',
  'bench',
  'test',
  'openapi',
  'tsconfig.json',
  'nest-cli.json',
  'jest.config.ts',
  'package.json',
  'package-lock.json',
  '.dependency-cruiser.cjs',
  'eslint.config.mjs',
  '.prettierrc.json',
  '.prettierignore',
];

/**
 * A throw-away copy of the project's sources, for tests that must change code
 * (a violating import, a generated module) without touching the checkout.
 */
export class ProjectCopy {
  readonly dir = mkdtempSync(join(tmpdir(), 'conduit-copy-'));

  constructor() {
    for (const entry of COPIED.filter((name) => existsSync(join(ROOT, name)))) {
      cpSync(join(ROOT, entry), join(this.dir, entry), {
        recursive: true,
        preserveTimestamps: true,
        filter: (source) => !/\/(dist|node_modules|\.local)(\/|$)/.test(source),
      });
    }
    symlinkSync(join(ROOT, 'node_modules'), join(this.dir, 'node_modules'), 'dir');
  }

  write(relativePath: string, content: string): void {
    const path = join(this.dir, relativePath);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** `npm run check:boundaries` in `cwd`: dependency-cruiser with the rules in .dependency-cruiser.cjs. */
export function checkBoundaries(cwd: string): { status: number | null; output: string } {
  const result = runTool(
    join(cwd, 'node_modules/.bin/depcruise'),
    ['apps', 'libs', 'scripts', 'bench', '--config', '.dependency-cruiser.cjs', '--output-type', 'err'],
    cwd,
  );
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}
