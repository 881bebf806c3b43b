#!/usr/bin/env node
/**
 * `npm run db:migrate | db:revert | db:seed [-- --users N --articles N]`:
 * builds and runs the database CLI against DATABASE_URL (PostgreSQL is
 * provisioned the same way as by `npm start`).
 */
import { ensureDependencies } from './lib/dependencies.mjs';
import { warn } from './lib/log.mjs';

await ensureDependencies();
const { provisionServices } = await import('./lib/services.mjs');
const { buildApps, databaseCli } = await import('./lib/build.mjs');

const services = await provisionServices();
let code = 0;
try {
  await buildApps();
  await databaseCli(process.argv.slice(2), services.env);
} catch (error) {
  warn(error instanceof Error ? error.message : String(error));
  code = 1;
} finally {
  await services.stop();
}
process.exit(code);
