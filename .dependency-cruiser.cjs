/**
 * Module boundaries of the monolith and its tooling (scripts/, bench/), checked by `npm test`
 * (test/contracts/boundaries.spec.ts) and by `npm run check:boundaries`.
 * docs/architecture.md explains the layering these rules keep honest.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'libs-never-import-apps',
      severity: 'error',
      comment: 'Libraries are shared by the API and the worker: they cannot depend on either app.',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'worker-never-imports-api',
      severity: 'error',
      comment: 'The worker is deployed on its own; what it shares with the API lives in libs/ (e.g. @app/queue).',
      from: { path: '^apps/worker/' },
      to: { path: '^apps/api/' },
    },
    {
      name: 'api-never-imports-worker',
      severity: 'error',
      comment: 'The API hands work to the worker through the outbox and queues (@app/queue), never by importing it.',
      from: { path: '^apps/api/' },
      to: { path: '^apps/worker/' },
    },
    {
      name: 'feature-modules-only-through-index',
      severity: 'error',
      comment:
        "A feature module uses another only through what that module's index.ts exports (its module, public service, " +
        'types and DTOs); everything else in it is private and may change without notice.',
      from: { path: '^apps/api/src/modules/([^/]+)/' },
      to: {
        path: '^apps/api/src/modules/[^/]+/',
        pathNot: ['^apps/api/src/modules/$1/', '^apps/api/src/modules/[^/]+/index\\.ts$'],
      },
    },
    {
      name: 'libs-only-through-index',
      severity: 'error',
      comment: 'Import a library as @app/<name>: its src/index.ts is its public surface.',
      from: { path: '^(apps|libs)/([^/]+)/' },
      to: {
        path: '^libs/[^/]+/src/',
        pathNot: ['^libs/$2/', '^libs/[^/]+/src/index\\.ts$'],
      },
    },
    {
      name: 'production-code-never-imports-testing',
      severity: 'error',
      comment: '@app/testing holds test helpers (supertest, fakes); the built apps must not ship or depend on them.',
      from: { path: '^(apps/[^/]+/src|libs/(?!testing/)[^/]+/src)/', pathNot: '\\.(int-)?spec\\.ts$' },
      to: { path: '^libs/testing/' },
    },
    {
      name: 'testing-reaches-tooling-only-through-processes',
      severity: 'error',
      comment:
        'The test helpers share the process helpers and the local Redis topologies with scripts/ and bench/ through their one home, ' +
        'scripts/lib/processes.cjs and scripts/lib/redis-topologies.cjs; anything else outside libs/ (scripts, dist/, the apps) is out of their reach.',
      from: { path: '^libs/' },
      to: { path: '^(scripts|bench|dist|test)/', pathNot: '^scripts/lib/(processes|redis-topologies)\\.cjs$' },
    },
    {
      name: 'only-testing-uses-tooling',
      severity: 'error',
      comment: 'Production code never depends on the development scripts (they are not in the image).',
      from: { path: '^(apps/[^/]+/src|libs/(?!testing/)[^/]+/src)/', pathNot: '\\.(int-)?spec\\.ts$' },
      to: { path: '^(scripts|bench)/' },
    },
    {
      name: 'scripts-and-bench-run-the-build',
      severity: 'error',
      comment:
        'scripts/ and bench/ start what `nest build` wrote (BUILT in scripts/lib/processes.cjs), never the TypeScript sources: ' +
        'what they run is what ships.',
      from: { path: '^(scripts|bench)/', pathNot: '^scripts/module-template/' },
      to: { path: '^(apps|libs|dist)/' },
    },
    {
      name: 'scripts-never-import-bench',
      severity: 'error',
      comment: "npm start and npm test must not depend on the benchmark; the benchmark uses the scripts' helpers (scripts/lib).",
      from: { path: '^scripts/' },
      to: { path: '^bench/' },
    },
    {
      name: 'bench-uses-scripts-lib-only',
      severity: 'error',
      comment: "The benchmark shares the scripts' library (scripts/lib), never a command's entry point.",
      from: { path: '^bench/' },
      to: { path: '^scripts/', pathNot: '^scripts/lib/' },
    },
    {
      name: 'no-import-cycles',
      severity: 'error',
      comment: 'Cycles make initialisation order fragile (undefined imports at boot) and modules impossible to reason about alone.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-unresolvable-imports',
      severity: 'error',
      comment: 'An import that resolves to nothing is a typo or a missing dependency.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['(^|/)(dist|node_modules|\\.local)/', '^scripts/module-template/', '^bench/results/'] },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
