/**
 * e2e suites talk to real PostgreSQL and Redis in a database of their own:
 * `npm test` provisions both and sets these variables. Running Jest directly
 * without them would hit a developer's data, so refuse clearly instead.
 */
const missing = ['DATABASE_URL', 'REDIS_URL', 'REDIS_KEY_PREFIX'].filter((name) => !process.env[name]);
if (process.env.NODE_ENV !== 'test' || missing.length > 0) {
  throw new Error(
    `e2e tests need NODE_ENV=test and ${missing.join(', ') || 'a test database'}; run them through \`npm test\` (e.g. \`npm test -- apps/api/test/articles\`).`,
  );
}
