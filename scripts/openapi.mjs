#!/usr/bin/env node
/**
 * `npm run openapi:generate [-- --intended "why"]`: builds the API,
 * regenerates openapi/openapi.json from the controllers (no database needed)
 * and the typed client's types from it (libs/api-client).
 * `npm run openapi:check`: fails when the committed document is stale.
 * See docs/api-contract.md.
 */
import { ensureDependencies } from './lib/dependencies.mjs';
import { warn } from './lib/log.mjs';

await ensureDependencies();
const { updateContract } = await import('./lib/api-client.mjs');

try {
  process.exit(await updateContract(process.argv.slice(2)));
} catch (error) {
  warn(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
