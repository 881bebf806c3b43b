/**
 * Module boundaries of the monolith, checked by `npm test`
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
      from: { path: '^(apps/[^/]+/src|libs/(?!testing/)[^/]+/src)/', pathNot: '\\.spec\\.ts$' },
      to: { path: '^libs/testing/' },
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
    exclude: { path: '(^|/)(dist|node_modules|\\.local)/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
