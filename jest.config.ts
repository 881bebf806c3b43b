/** @jest-config-loader ts-node */
/** @jest-config-loader-options {"transpileOnly": true, "skipProject": true} */
import type { Config } from 'jest';

// Path aliases mirror tsconfig.json "paths"; `ts` comes first so a stale `.js`
// left beside a source file can never shadow it.
const moduleNameMapper = {
  '^@app/([a-z-]+)$': '<rootDir>/libs/$1/src',
  '^@app/([a-z-]+)/(.*)$': '<rootDir>/libs/$1/src/$2',
};
const shared = {
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'typescript', decorators: true }, transform: { legacyDecorator: true, decoratorMetadata: true }, target: 'es2022' } },
    ],
  },
  moduleNameMapper,
  testEnvironment: 'node',
  // Cleanups that wait for the whole test file (a suite's own database: libs/testing/src/suite-cleanup.ts).
  setupFilesAfterEnv: ['<rootDir>/libs/testing/src/suite-cleanup.setup.ts'],
};

const config: Config = {
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/apps/**/src/**/*.spec.ts', '<rootDir>/libs/**/src/**/*.spec.ts'] },
    // One class against the run's real PostgreSQL or Redis, beside its code (*.int-spec.ts): what a fake would only restate.
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['<rootDir>/apps/**/src/**/*.int-spec.ts', '<rootDir>/libs/**/src/**/*.int-spec.ts'],
      setupFiles: ['<rootDir>/libs/testing/src/require-test-env.ts'],
    },
    // Static checks of what deploys the system (Prometheus, Grafana, later Nginx, Compose, Kubernetes).
    { ...shared, displayName: 'deployment', testMatch: ['<rootDir>/test/deployment/**/*.spec.ts'] },
    // What teams extending the monolith must not break: module boundaries, the OpenAPI contract, the typed client, the generator.
    { ...shared, displayName: 'contracts', testMatch: ['<rootDir>/test/contracts/**/*.spec.ts'] },
    // What the README's two commands provision: local PostgreSQL and Redis, supervised.
    { ...shared, displayName: 'scripts', testMatch: ['<rootDir>/test/scripts/**/*.spec.ts'] },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/apps/**/test/**/*.e2e-spec.ts'],
      setupFiles: ['<rootDir>/libs/testing/src/require-test-env.ts'],
    },
  ],
};
export default config;
