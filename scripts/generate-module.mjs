#!/usr/bin/env node
/**
 * `npm run generate:module -- <plural-name> [--singular <name>] [--skip-openapi]`
 * Creates a complete feature module in the project's shape (docs/adding-a-module.md):
 * migration, repository, service, controller, DTOs, cache and outbox usage, a
 * metric, unit and e2e tests; registers it in the API, the migration list and the
 * event contract; formats what it wrote with Prettier (names of any length still
 * give the project's layout); then regenerates the OpenAPI document and the typed
 * client so the contract tests pass.
 */
import { parseArgs } from 'node:util';
import { ensureDependencies } from './lib/dependencies.mjs';
import { join } from 'node:path';
import { log, warn } from './lib/log.mjs';
import { PROJECT_DIR } from './lib/paths.mjs';
import { runStatus } from './lib/run.mjs';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { singular: { type: 'string' }, 'skip-openapi': { type: 'boolean', default: false } },
});
if (positionals.length !== 1) {
  warn('usage: npm run generate:module -- <plural-name> [--singular <name>] [--skip-openapi]');
  process.exit(2);
}

await ensureDependencies();
const { generateModule } = await import('./lib/module-generator.mjs');
try {
  const { names, files, edited } = generateModule(PROJECT_DIR, positionals[0], values.singular);
  const prettier = join(PROJECT_DIR, 'node_modules/.bin/prettier');
  if ((await runStatus(prettier, ['--write', '--log-level=warn', ...files, ...edited], { cwd: PROJECT_DIR })) !== 0)
    throw new Error('could not format the files');
  log(`created the ${names.__names__} module:\n${files.map((file) => `  ${file}`).join('\n')}`);
  log(
    'registered it in apps/api/src/app.module.ts, libs/database/src/migrations/index.ts, libs/queue/src/events.ts (event ' +
      `${names.__EVENT__}); its cache generation (${names.__namesCamel__}) is declared in its own module file`,
  );
  if (!values['skip-openapi']) {
    const { updateContract } = await import('./lib/api-client.mjs');
    if ((await updateContract(['write'])) !== 0) throw new Error('could not update openapi/openapi.json');
  }
  log(`next: npm test -- apps/api/src/modules/${names.__names__} apps/api/test/${names.__names__}   (then the whole npm test)`);
} catch (error) {
  warn(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
