// ESLint (flat config): typescript-eslint's type-aware rules on the TypeScript, the recommended
// rules on the plain-Node scripts; formatting is Prettier's (eslint-config-prettier turns off the
// rules it owns). `npm test` runs both (scripts/lib/lint.mjs); a violation fails the run.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** A package is used through its entry point: its dist/ layout is private and changes without notice. */
const noDeepImports = [
  'error',
  { patterns: [{ group: ['*/dist/*', '@*/*/dist/*'], message: "Import the package's entry point, never a file inside its dist/." }] },
];

export default tseslint.config(
  {
    ignores: ['dist/', 'node_modules/', '.local/', 'coverage/', 'bench/results/', 'scripts/module-template/', 'libs/api-client/src/schema.generated.ts'],
  },
  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      'no-restricted-imports': noDeepImports,
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // Tests read response bodies (supertest types them `any`) and assert their shape with expect;
    // typing every body would restate the OpenAPI document, which the contract tests check already.
    // Fakes implement async interfaces without awaiting anything.
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', 'apps/*/test/**/*.ts', 'test/**/*.ts', 'libs/testing/src/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['**/*.{mjs,cjs,js}'],
    extends: [js.configs.recommended],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      'no-restricted-imports': noDeepImports,
      'no-unused-vars': ['error', { argsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  prettier,
);
