/**
 * The OpenAPI contract command line, run from the built app (`npm run openapi:generate` builds first):
 *   node dist/.../cli/openapi-cli.js write [--intended "why"]   regenerate openapi/openapi.json; breaking
 *                                                               changes are refused unless --intended says why
 *   node dist/.../cli/openapi-cli.js check                      exit 1 when the code's document differs from it
 * The document is built from the controllers' metadata in Nest's preview mode:
 * no provider runs, so neither PostgreSQL nor Redis is needed.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../app.module';
import { useApiPrefix } from '../http/configure-app';
import { buildOpenApiDocument } from '../http/swagger';
import { OPENAPI_DIR, readCommittedDocument, serializeDocument, updateCommittedDocument } from './openapi/committed-document';
import { findBreakingChanges, OpenApiDocument } from './openapi/compatibility';

async function currentDocument(): Promise<OpenApiDocument> {
  const app = await NestFactory.create(AppModule, { preview: true, logger: false });
  useApiPrefix(app);
  const document = buildOpenApiDocument(app) as unknown as OpenApiDocument;
  await app.close();
  return document;
}

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { intended: { type: 'string' }, dir: { type: 'string' } } });
  const dir = values.dir ?? join(process.cwd(), OPENAPI_DIR);
  const document = await currentDocument();
  switch (positionals[0]) {
    case 'write': {
      const result = updateCommittedDocument(dir, document, values.intended);
      const list = result.breaking.map((change) => `  - ${change}`).join('\n');
      if (result.outcome === 'refused') {
        console.error(`refused: these changes break existing clients:\n${list}\nIf that is intended, run again with --intended "<why>".`);
        return 1;
      }
      console.log(result.outcome === 'unchanged' ? `${dir}/openapi.json is up to date` : `wrote ${dir}/openapi.json`);
      if (result.breaking.length > 0) console.log(`recorded as intended in BREAKING-CHANGES.md:\n${list}`);
      return 0;
    }
    case 'check': {
      const committed = readCommittedDocument(dir);
      if (committed && serializeDocument(committed) === serializeDocument(document)) {
        console.log('openapi/openapi.json matches the code');
        return 0;
      }
      const breaking = committed ? findBreakingChanges(committed, document) : [];
      console.error(`openapi/openapi.json differs from the code; run npm run openapi:generate${breaking.length ? `\nbreaking:\n${breaking.join('\n')}` : ''}`);
      return 1;
    }
    default:
      console.error('usage: openapi-cli write [--intended "why"] | check');
      return 2;
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
