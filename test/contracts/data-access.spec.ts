import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '../..');

/** Every TypeScript source under `dir` (tests and specs left out). */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'test' || name === 'node_modules' ? [] : sources(path);
    return name.endsWith('.ts') && !/[.-]spec\.ts$/.test(name) ? [path] : [];
  });
}

/**
 * Where SQL may live (docs/conventions.md): repositories and the query builders
 * they compose from, the outbox contract, the database library itself, and the
 * tooling that is SQL by nature (migrations, the seeding CLI, and the test
 * helpers that create a run's database and let e2e tests read rows back).
 */
const MAY_HOLD_SQL = [
  /\.repository\.ts$/,
  /^apps\/api\/src\/modules\/[^/]+\/[^/]+-queries\.ts$/,
  /^libs\/queue\/src\/outbox(\.metrics)?\.ts$/,
  /^libs\/database\/src\//,
  /^apps\/api\/src\/cli\/seed\//,
  /^libs\/testing\/src\//,
];
/** One way to reach PostgreSQL: `Sql` with `statement()` constants; no entities, no repositories of TypeORM, no raw `query()`. */
const OTHER_WAYS = [
  /@Entity\(/,
  /InjectRepository/,
  /TypeOrmModule\.forFeature/,
  /createQueryBuilder/,
  /InjectDataSource/,
  /\.query\(/,
  /\bstatement\(/,
  /\.replace\(\s*['"`](SELECT|FROM|WHERE)/i,
];
const TEMPLATE = join(ROOT, 'scripts/module-template/module');

describe('one data-access rule', () => {
  const files = [...sources(join(ROOT, 'apps')), ...sources(join(ROOT, 'libs'))].map((path) => relative(ROOT, path));

  it('has SQL and database access only in repositories (and the database library, outbox contract and tooling)', () => {
    const offending = files
      .filter((file) => !MAY_HOLD_SQL.some((allowed) => allowed.test(file)))
      .flatMap((file) => OTHER_WAYS.filter((way) => way.test(readFileSync(join(ROOT, file), 'utf8'))).map((way) => `${file}: ${way}`));
    expect(offending).toEqual([]);
  });

  it('has no TypeORM entities or repositories anywhere, the module template included', () => {
    const texts = [
      ...files.map((file) => join(ROOT, file)),
      ...readdirSync(TEMPLATE)
        .filter((name) => name.endsWith('.tmpl'))
        .map((name) => join(TEMPLATE, name)),
    ];
    const entityUse = texts.filter((path) => /@Entity\(|InjectRepository|TypeOrmModule\.forFeature|createQueryBuilder/.test(readFileSync(path, 'utf8')));
    expect(entityUse.map((path) => relative(ROOT, path))).toEqual([]);
  });

  it('runs repository SQL through Sql, never through TypeORM query() or edited texts', () => {
    const repositories = files.filter((file) => file.endsWith('.repository.ts'));
    expect(repositories.length).toBeGreaterThanOrEqual(12);
    for (const file of repositories) {
      const text = readFileSync(join(ROOT, file), 'utf8');
      expect(`${file}: ${/\.query\(|InjectDataSource|\.replace\(/.test(text)}`).toBe(`${file}: false`);
      expect(`${file}: ${/private readonly sql: Sql/.test(text)}`).toBe(`${file}: true`);
    }
  });
});
