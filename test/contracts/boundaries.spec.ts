import { checkBoundaries, ProjectCopy, ROOT } from './support/project-copy';

describe('module boundaries (.dependency-cruiser.cjs)', () => {
  it('hold in this checkout', () => {
    const { status, output } = checkBoundaries(ROOT);
    // On failure Jest prints the tool's report: each violation names its rule and the import.
    expect(output).toMatch(/no dependency violations found/);
    expect(status).toBe(0);
  });

  describe('fail, naming the rule, when a change breaks them', () => {
    let copy: ProjectCopy;
    let report: { status: number | null; output: string };

    beforeAll(() => {
      copy = new ProjectCopy();
      copy.write('libs/paging/src/reaches-into-app.ts', "import { AppModule } from '../../../apps/api/src/app.module';\nexport const app = AppModule;\n");
      copy.write('apps/worker/src/uses-api.ts', "import { TagsModule } from '../../api/src/modules/tags';\nexport const tags = TagsModule;\n");
      copy.write('apps/api/src/worker-from-api.ts', "import { WorkerModule } from '../../worker/src/worker.module';\nexport const worker = WorkerModule;\n");
      copy.write(
        'apps/api/src/modules/comments/private-import.ts',
        "import { ArticlesRepository } from '../articles/articles.repository';\nexport const repository = ArticlesRepository;\n",
      );
      copy.write('apps/api/src/deep-lib-import.ts', "import { CacheService } from '@app/cache/cache.service';\nexport const cache = CacheService;\n");
      copy.write('apps/api/src/modules/tags/test-helper-in-production.ts', "import { unique } from '@app/testing';\nexport const name = unique('tag');\n");
      copy.write('libs/paging/src/cycle-a.ts', "import { b } from './cycle-b';\nexport const a = () => b;\n");
      copy.write('libs/paging/src/cycle-b.ts', "import { a } from './cycle-a';\nexport const b = () => a;\n");
      copy.write('libs/testing/src/reaches-scripts.ts', "import { run } from '../../../scripts/lib/run.mjs';\nexport const runs = run;\n");
      copy.write('apps/api/src/uses-scripts.ts', "import { log } from '../../../scripts/lib/log.mjs';\nexport const logs = log;\n");
      copy.write('bench/lib/runs-sources.mjs', "import { clampLimit } from '../../libs/paging/src/index.ts';\nexport const clamp = clampLimit;\n");
      copy.write('scripts/lib/uses-bench.mjs', "import { textTable } from '../../bench/lib/report.mjs';\nexport const table = textTable;\n");
      copy.write('bench/lib/uses-command.mjs', "import '../../scripts/db.mjs';\n");
      report = checkBoundaries(copy.dir);
    });
    afterAll(() => copy?.remove());

    it('exits non-zero', () => {
      expect(report.status).not.toBe(0);
    });

    it.each([
      ['libs-never-import-apps', 'libs/paging/src/reaches-into-app.ts'],
      ['worker-never-imports-api', 'apps/worker/src/uses-api.ts'],
      ['api-never-imports-worker', 'apps/api/src/worker-from-api.ts'],
      ['feature-modules-only-through-index', 'apps/api/src/modules/comments/private-import.ts'],
      ['libs-only-through-index', 'apps/api/src/deep-lib-import.ts'],
      ['production-code-never-imports-testing', 'apps/api/src/modules/tags/test-helper-in-production.ts'],
      ['no-import-cycles', 'libs/paging/src/cycle-a.ts'],
      ['testing-reaches-tooling-only-through-processes', 'libs/testing/src/reaches-scripts.ts'],
      ['only-testing-uses-tooling', 'apps/api/src/uses-scripts.ts'],
      ['scripts-and-bench-run-the-build', 'bench/lib/runs-sources.mjs'],
      ['scripts-never-import-bench', 'scripts/lib/uses-bench.mjs'],
      ['bench-uses-scripts-lib-only', 'bench/lib/uses-command.mjs'],
    ])('%s (%s)', (rule, file) => {
      expect(report.output).toMatch(new RegExp(`error ${rule}: ${file.replace(/\./g, '\\.')}`));
    });
  });
});
