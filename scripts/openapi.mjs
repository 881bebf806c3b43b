#!/usr/bin/env node
/**
 * `npm run openapi:generate [-- --intended "why"]`: builds the API and
 * regenerates openapi/openapi.json from the controllers (no database needed).
 * `npm run openapi:check`: fails when the committed document is stale.
 * See docs/api-contract.md.
 */
import { ensureDependencies } from './lib/dependencies.mjs';
import { warn } from './lib/log.mjs';

await ensureDependencies();
const { buildApi, openApiCli } = await import('./lib/build.mjs');

try {
  await buildApi();
  process.exit(await openApiCli(process.argv.slice(2)));
} catch (error) {
  warn(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
