import { join } from 'node:path';
import { log } from './log.mjs';
import { PROJECT_DIR } from './paths.mjs';
import { buildApi, openApiCli } from './build.mjs';
import { run } from './run.mjs';

export const OPENAPI_DOCUMENT = join(PROJECT_DIR, 'openapi/openapi.json');
export const CLIENT_TYPES = join(PROJECT_DIR, 'libs/api-client/src/schema.generated.ts');

/** Regenerates the typed client's types (openapi-typescript) from the committed document. */
export async function generateClientTypes(output = CLIENT_TYPES) {
  await run(join(PROJECT_DIR, 'node_modules/.bin/openapi-typescript'), [OPENAPI_DOCUMENT, '--output', output], { cwd: PROJECT_DIR });
  log(`wrote ${output}`);
}

/**
 * Builds the API and runs the OpenAPI CLI (`write [--intended why]` or `check`); after a
 * successful write, regenerates the typed client from the new document. Resolves to the exit code.
 */
export async function updateContract(args) {
  await buildApi();
  const code = await openApiCli(args);
  if (code === 0 && args[0] === 'write') await generateClientTypes();
  return code;
}
