import { join } from 'node:path';
import { log } from './log.mjs';
import { PROJECT_DIR } from './paths.mjs';
import { run } from './run.mjs';

export const OPENAPI_DOCUMENT = join(PROJECT_DIR, 'openapi/openapi.json');
export const CLIENT_TYPES = join(PROJECT_DIR, 'libs/api-client/src/schema.generated.ts');

/** Regenerates the typed client's types (openapi-typescript) from the committed document. */
export async function generateClientTypes(output = CLIENT_TYPES) {
  await run(join(PROJECT_DIR, 'node_modules/.bin/openapi-typescript'), [OPENAPI_DOCUMENT, '--output', output], { cwd: PROJECT_DIR });
  log(`wrote ${output}`);
}
