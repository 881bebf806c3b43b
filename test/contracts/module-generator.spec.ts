import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { BUILT, runTool, useOwnDatabase } from '@app/testing';
import { checkBoundaries, ProjectCopy, ROOT } from './support/project-copy';

const REALWORLD_OPENAPI = process.env.REALWORLD_OPENAPI ?? join(ROOT, '..', 'shared', 'realworld', 'openapi.yml');

/**
 * `npm run generate:module -- bookmarks` in a temporary copy of the project:
 * the module it writes compiles (nest build, tsc over everything), keeps the
 * boundaries, migrates, passes its own unit and e2e tests against the real
 * PostgreSQL and Redis, and shows up in the served OpenAPI document, which
 * the generator has brought up to date along with the typed client.
 */
describe('the module generator (npm run generate:module)', () => {
  const database = useOwnDatabase();
  let copy: ProjectCopy;
  let generated: ReturnType<typeof runTool>;

  beforeAll(() => {
    copy = new ProjectCopy();
    generated = runTool(process.execPath, ['scripts/generate-module.mjs', 'bookmarks'], copy.dir);
  }, 240_000);
  afterAll(() => copy?.remove());

  it('writes the module, registers it and regenerates the contract', () => {
    expect(generated.stderr).not.toMatch(/error|could not/i);
    expect(generated.status).toBe(0);
    for (const file of [
      'bookmarks.controller.ts',
      'bookmarks.service.ts',
      'bookmarks.repository.ts',
      'bookmark.mapper.ts',
      'dto/bookmarks.dto.ts',
      'index.ts',
    ]) {
      expect(readFileSync(join(copy.dir, 'apps/api/src/modules/bookmarks', file), 'utf8')).toContain('Bookmark');
    }
    expect(readFileSync(join(copy.dir, 'apps/api/src/app.module.ts'), 'utf8')).toMatch(/BookmarksModule,\n/);
    expect(JSON.parse(readFileSync(join(copy.dir, 'openapi/openapi.json'), 'utf8')).paths['/api/bookmarks/{id}']).toBeDefined();
    expect(readFileSync(join(copy.dir, 'libs/api-client/src/schema.generated.ts'), 'utf8')).toContain('"/api/bookmarks"');
  });

  it('keeps the module boundaries', () => {
    expect(checkBoundaries(copy.dir).output).toMatch(/no dependency violations found/);
  });

  it('writes code that passes lint and is formatted like the rest', () => {
    const written = ['apps/api/src/modules/bookmarks', 'apps/api/test/bookmarks.e2e-spec.ts', 'apps/api/src/app.module.ts', 'libs/database/src/migrations'];
    const eslint = runTool(join(copy.dir, 'node_modules/.bin/eslint'), ['--max-warnings=0', ...written], copy.dir);
    expect({ status: eslint.status, output: eslint.stdout + eslint.stderr }).toEqual({ status: 0, output: '' });
    const prettier = runTool(join(copy.dir, 'node_modules/.bin/prettier'), ['--check', '--log-level=warn', ...written], copy.dir);
    expect({ status: prettier.status, output: prettier.stdout + prettier.stderr }).toEqual({ status: 0, output: '' });
  }, 120_000);

  it('migrates and passes its tests, the contract tests and the type check', () => {
    const env = {
      ...process.env,
      ...database.env(),
      REDIS_KEY_PREFIX: `${process.env.REDIS_KEY_PREFIX ?? 'conduit:test:'}generated:`,
      REALWORLD_OPENAPI,
    };
    const migrate = runTool(process.execPath, [relative(ROOT, BUILT.databaseCli), 'migrate'], copy.dir, env);
    expect(migrate.stdout).toMatch(/applied Bookmarks\d+/);
    const results = join(copy.dir, 'jest-results.json');
    const suites = [
      'apps/api/src/modules/bookmarks',
      'apps/api/test/bookmarks.e2e-spec.ts',
      'apps/api/test/openapi-contract.e2e-spec.ts',
      'test/contracts/api-client.spec.ts',
    ];
    const jest = runTool(join(copy.dir, 'node_modules/.bin/jest'), ['--ci', '--json', `--outputFile=${results}`, ...suites], copy.dir, env);
    const summary = JSON.parse(readFileSync(results, 'utf8')) as { numFailedTests: number; numPassedTests: number; testResults: { name: string }[] };
    const ran = summary.testResults.map((suite) => suite.name.slice(copy.dir.length + 1)).sort();
    expect({ failed: summary.numFailedTests, ran, output: summary.numFailedTests ? jest.stderr : '' }).toEqual({
      failed: 0,
      ran: ['apps/api/src/modules/bookmarks/bookmarks.service.spec.ts', ...suites.slice(1)].sort(),
      output: '',
    });
    expect(summary.numPassedTests).toBeGreaterThanOrEqual(11);
    expect(jest.status).toBe(0);
  }, 240_000);
});
