import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unique, useOwnDatabase } from '@app/testing';
import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import request from 'supertest';
import { useApiTestApp } from './support/api-test-app';
import { encodeParameter, encodePathSegment, hostileValue, Schema, valueFor } from './support/openapi-arbitraries';

interface Parameter {
  name: string;
  in: 'path' | 'query';
  schema?: Schema;
}
interface Operation {
  method: 'get' | 'post' | 'put' | 'delete';
  path: string;
  parameters: Parameter[];
  body?: Schema;
  responses: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}

/** Requests per operation: 25 operations x 205 > 5,000 in all. */
const RUNS_PER_OPERATION = 205;
const MIN_REQUESTS = 5000;
/** Stack frames, driver and ORM names, SQL: none of it may reach a client. */
const LEAK =
  /\bat [\w$.<>]+ \(|node_modules|QueryFailedError|TypeORM|\bpg\b.*error|SELECT |INSERT INTO|UPDATE .* SET|DELETE FROM|syntax error at|\.ts:\d+|\.js:\d+/i;
const MALFORMED_JSON = fc.constantFrom('{"user":', '{', '[1,', 'nul', '{"a":1}}', "{'a':1}", '{"article":{"title":"x",}}', '\u0000', '"unterminated');

// The operations come from the committed document (identical to the served one: openapi-contract.e2e-spec.ts).
const committed = JSON.parse(readFileSync(join(__dirname, '../../../openapi/openapi.json'), 'utf8')) as {
  paths: Record<
    string,
    Record<string, { parameters?: Parameter[]; requestBody?: { content: Record<string, { schema: Schema }> }; responses: Operation['responses'] }>
  >;
};
const OPERATIONS: Operation[] = Object.entries(committed.paths)
  .filter(([path]) => path.startsWith('/api/'))
  .flatMap(([path, item]) =>
    (['get', 'post', 'put', 'delete'] as const)
      .filter((method) => item[method])
      .map((method) => ({
        method,
        path,
        parameters: item[method].parameters ?? [],
        body: item[method].requestBody?.content['application/json']?.schema,
        responses: item[method].responses,
      })),
  );

/**
 * Property-based hostile input, generated with fast-check from the OpenAPI
 * document: every operation, with and without (valid, foreign, broken) tokens,
 * wrong types, missing and extra fields, boundary numbers, long and odd
 * Unicode, NUL bytes and malformed JSON. No response may be a 5xx, every
 * status must be documented for its operation and its body must match the
 * documented schema, and no error may leak a stack trace or SQL.
 */
describe('fuzzing every operation from the OpenAPI document', () => {
  jest.setTimeout(600_000);
  const database = useOwnDatabase();
  const ctx = useApiTestApp(() => ({ ...database.env(), REDIS_KEY_PREFIX: `${process.env.REDIS_KEY_PREFIX}fuzz:` }));
  const ajv = addFormats(new Ajv({ strict: false, allErrors: false }));
  const validators = new Map<string, ValidateFunction>();
  let sent = 0;
  const statuses: Record<string, number[]> = {};
  let fixtures: { owner: { token: string; username: string }; other: { token: string; username: string }; slug: string; commentId: number; webhookId: number };

  beforeAll(async () => {
    const served = (await ctx.api.call('get', '/docs-json').expect(200)).body;
    ajv.addSchema({ $id: 'conduit', components: served.components });
  });

  /** A fresh article, comment and webhook for each operation: destructive runs of one must not starve the next. */
  async function freshFixtures() {
    const [owner, other] = [await ctx.api.register(), await ctx.api.register()];
    await ctx.api.follow(other.token, owner.username);
    const article = await ctx.api.createArticle(owner.token, { tagList: ['fuzz'] });
    const comment = await ctx.api
      .call('post', `/api/articles/${article.slug}/comments`, { token: other.token, body: { comment: { body: 'hello' } } })
      .expect(200);
    const webhook = await ctx.api
      .call('post', '/api/webhooks', { token: owner.token, body: { webhook: { url: 'https://example.com/hook', events: ['comment.created'] } } })
      .expect(201);
    return { owner, other, slug: article.slug, commentId: comment.body.comment.id as number, webhookId: webhook.body.webhook.id as number };
  }

  function validatorFor(schema: Schema): ValidateFunction {
    const key = JSON.stringify(schema);
    let validate = validators.get(key);
    if (!validate) {
      validate = ajv.compile(JSON.parse(key.replace(/"#\/components\//g, '"conduit#/components/')));
      validators.set(key, validate);
    }
    return validate;
  }

  const resolve = (ref: string) => (ajv.getSchema(ref.replace('#/', 'conduit#/'))?.schema ?? {}) as Schema;

  function fixtureFor(operation: Operation, parameter: Parameter): unknown {
    if (parameter.name === 'username') return fixtures.owner.username;
    if (parameter.name === 'slug') return fixtures.slug;
    if (parameter.name === 'id') return operation.path.includes('/comments/') ? fixtures.commentId : fixtures.webhookId;
    return undefined;
  }

  function requests(operation: Operation) {
    const pathValues = fc.tuple(
      ...operation.parameters
        .filter((parameter) => parameter.in === 'path')
        .map((parameter) =>
          fc.oneof({ weight: 3, arbitrary: fc.constant(fixtureFor(operation, parameter)) }, { weight: 1, arbitrary: valueFor(parameter.schema, resolve) }),
        ),
    );
    const queryValues = fc.tuple(
      ...operation.parameters
        .filter((parameter) => parameter.in === 'query')
        .map((parameter) => fc.option(valueFor(parameter.schema, resolve), { nil: undefined })),
    );
    const body = operation.body
      ? fc.oneof(
          { weight: 8, arbitrary: valueFor(operation.body, resolve).map((value) => ({ json: value })) },
          { weight: 1, arbitrary: hostileValue.map((value) => ({ json: value })) },
          { weight: 1, arbitrary: MALFORMED_JSON.map((raw) => ({ raw })) },
        )
      : fc.constant(undefined);
    const auth = fc.constantFrom<'none' | 'owner' | 'other' | 'garbage'>('none', 'owner', 'owner', 'other', 'garbage');
    return fc.record({ pathValues, queryValues, body, auth });
  }

  it.each(OPERATIONS.map((operation) => [`${operation.method.toUpperCase()} ${operation.path}`, operation] as const))('%s', async (_name, operation) => {
    fixtures = await freshFixtures();
    const pathParameters = operation.parameters.filter((parameter) => parameter.in === 'path');
    const queryParameters = operation.parameters.filter((parameter) => parameter.in === 'query');
    await fc.assert(
      fc.asyncProperty(requests(operation), async ({ pathValues, queryValues, body, auth }) => {
        let url = operation.path;
        pathParameters.forEach((parameter, i) => (url = url.replace(`{${parameter.name}}`, encodePathSegment(pathValues[i]))));
        const query = queryParameters.flatMap((parameter, i) => (queryValues[i] === undefined ? [] : [`${parameter.name}=${encodeParameter(queryValues[i])}`]));
        if (query.length > 0) url += `?${query.join('&')}`;

        const req = request(ctx.app.getHttpServer())[operation.method](url);
        if (auth === 'owner') req.set('Authorization', `Token ${fixtures.owner.token}`);
        if (auth === 'other') req.set('Authorization', `Token ${fixtures.other.token}`);
        if (auth === 'garbage') req.set('Authorization', `Token ${unique('x')}.${unique('y')}`);
        if (body) req.set('Content-Type', 'application/json').send('raw' in body ? body.raw : (JSON.stringify(body.json) ?? 'null'));
        const response = await req;
        sent++;
        (statuses[`${operation.method.toUpperCase()} ${operation.path}`] ??= []).push(response.status);

        const what = `${operation.method.toUpperCase()} ${url.slice(0, 200)} (${auth}) -> ${response.status} ${response.text.slice(0, 300)}`;
        if (response.status >= 500) throw new Error(`5xx: ${what}`);
        const documented = operation.responses[String(response.status)];
        if (!documented) throw new Error(`undocumented status: ${what}`);
        const schema = documented.content?.['application/json']?.schema;
        if (schema) {
          const validate = validatorFor(schema);
          if (!validate(response.body)) throw new Error(`body does not match the documented schema (${ajv.errorsText(validate.errors)}): ${what}`);
        } else if (response.text !== '') {
          throw new Error(`a body where none is documented: ${what}`);
        }
        if (response.status >= 400 && LEAK.test(response.text)) throw new Error(`internals leaked: ${what}`);
      }),
      { numRuns: RUNS_PER_OPERATION, seed: Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31), endOnFailure: true },
    );
  });

  it(`sent at least ${MIN_REQUESTS} generated requests`, () => {
    expect(OPERATIONS.length).toBeGreaterThanOrEqual(25);
    expect(sent).toBeGreaterThanOrEqual(MIN_REQUESTS);
    // The generated requests reached past validation into the services and the database: every
    // operation succeeded at least once (login excepted: random credentials never match).
    const neverSucceeded = Object.entries(statuses).filter(
      ([operation, list]) => operation !== 'POST /api/users/login' && !list.some((status) => status < 300),
    );
    expect(neverSucceeded.map(([operation]) => operation)).toEqual([]);
  });
});
