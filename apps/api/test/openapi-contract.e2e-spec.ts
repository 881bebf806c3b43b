import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { readCommittedDocument, serializeDocument } from '../src/cli/openapi/committed-document';
import { findBreakingChanges, HTTP_METHODS, OpenApiDocument } from '../src/cli/openapi/compatibility';
import { useApiTestApp } from './support/api-test-app';

const ROOT = join(__dirname, '../../..');
/** The RealWorld contract lives beside the project, as for the newman suite. */
const REALWORLD_SPEC = process.env.REALWORLD_OPENAPI ?? join(ROOT, '..', 'shared', 'realworld', 'openapi.yml');

type Responses = Record<string, unknown>;
/** "METHOD /path/{}" -> success status codes; path parameter names do not matter to clients. */
function successCodes(document: OpenApiDocument, prefix = ''): Map<string, string[]> {
  const operations = new Map<string, string[]>();
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = item[method] as { responses?: Responses } | undefined;
      if (!operation) continue;
      const codes = Object.keys(operation.responses ?? {})
        .filter((code) => code.startsWith('2'))
        .sort();
      operations.set(`${method.toUpperCase()} ${prefix}${path.replace(/\{[^}]+\}/g, '{}')}`, codes);
    }
  }
  return operations;
}

describe('the OpenAPI contract (openapi/openapi.json)', () => {
  const ctx = useApiTestApp();
  let served: OpenApiDocument;

  beforeAll(async () => {
    served = (await ctx.api.call('get', '/docs-json').expect(200)).body;
  });

  it('is what the API serves: regenerate it with `npm run openapi:generate` after changing the API', () => {
    const committed = readCommittedDocument(join(ROOT, 'openapi'));
    expect(committed).toBeDefined();
    const breaking = findBreakingChanges(committed!, served);
    // Listed first so a failure says what would break clients, before the full difference.
    expect({ breaking }).toEqual({ breaking: [] });
    expect(serializeDocument(served)).toBe(serializeDocument(committed!));
  });

  it('has every RealWorld operation with the same success status codes', () => {
    const realWorld = parse(readFileSync(REALWORLD_SPEC, 'utf8')) as OpenApiDocument & { servers: { url: string }[] };
    const prefix = new URL(realWorld.servers[0].url).pathname.replace(/\/$/, '');
    const expected = successCodes(realWorld, prefix);
    const ours = successCodes(served);
    expect(expected.size).toBeGreaterThanOrEqual(19);
    const mismatches = [...expected].filter(([operation, codes]) => JSON.stringify(ours.get(operation)) !== JSON.stringify(codes));
    expect(mismatches.map(([operation, codes]) => `${operation}: RealWorld ${codes.join(',')}, served ${ours.get(operation)?.join(',') ?? 'missing'}`)).toEqual(
      [],
    );
  });
});
