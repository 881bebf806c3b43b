import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { itWithTool, runToolAsync, systemTool, useOwnDatabase } from '@app/testing';
import { useApiTestApp } from './support/api-test-app';
import { Client } from 'pg';

interface Operation {
  parameters?: { name: string; in: string }[];
  requestBody?: { content: Record<string, { schema: { $ref?: string } }> };
}
const DOCUMENT = JSON.parse(readFileSync(join(__dirname, '../../../openapi/openapi.json'), 'utf8')) as {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, { properties?: Record<string, { $ref?: string; type?: string; items?: { type?: string } }> }> };
};
/** sqlmap's verdicts when it finds something; "does not seem to be injectable" is the all-clear. */
const FOUND = /identified the following injection point|is vulnerable|back-end DBMS is/i;
const CLEAN = /all tested parameters do not appear to be injectable/;

/** A JSON body for the operation with sqlmap's injection mark (*) on every string field, envelopes kept. */
function markedBody(operation: Operation): string | undefined {
  const ref = operation.requestBody?.content['application/json']?.schema.$ref;
  if (!ref) return undefined;
  const fill = (name: string): unknown => {
    const schema = DOCUMENT.components.schemas[name];
    return Object.fromEntries(
      Object.entries(schema.properties ?? {}).map(([field, property]) => {
        if (property.$ref) return [field, fill(property.$ref.split('/').pop()!)];
        if (property.type === 'array') return [field, property.items?.type === 'string' ? ['tag*'] : [1]];
        if (property.type === 'string') return [field, field === 'email' ? 'sqlmap@example.com*' : field === 'url' ? 'https://example.com/h*' : 'value*'];
        return [field, 1];
      }),
    );
  };
  return JSON.stringify(fill(ref.split('/').pop()!));
}

/**
 * sqlmap (Debian's, at its default level and risk) against every operation of
 * the running API, with an injection mark on every path, query and body
 * parameter, authenticated. Runs when sqlmap is installed (`npm test` installs
 * it with apt as root).
 */
describe('SQL injection (sqlmap)', () => {
  jest.setTimeout(900_000);
  const database = useOwnDatabase();
  const ctx = useApiTestApp(() => ({
    ...database.env(),
    REDIS_KEY_PREFIX: `${process.env.REDIS_KEY_PREFIX}sqlmap:`,
    LOGIN_LOCKOUT_THRESHOLD: '1000',
  }));

  // sqlmap keeps temporary files under TMPDIR: inside the run's output directory, removed with it.
  const sqlmap = (args: string[], output: string) =>
    runToolAsync(systemTool('sqlmap')!, ['--batch', '--disable-coloring', '--flush-session', '--dbms', 'PostgreSQL', '--output-dir', output, ...args], {
      env: { ...process.env, TERM: 'dumb', TMPDIR: output },
    });

  itWithTool('sqlmap')('detects a deliberately injectable endpoint (the check can fail)', async () => {
    // A control: string-built SQL on the same PostgreSQL, which sqlmap must report.
    const db = new Client({ connectionString: database.url() });
    await db.connect();
    const answer = async (req: IncomingMessage, res: ServerResponse) => {
      const name = new URL(req.url ?? '/', 'http://x').searchParams.get('name') ?? '';
      let status = 200;
      let body: string;
      try {
        const result = await db.query(`SELECT count(*)::int AS n FROM users WHERE username = '${name}'`);
        body = JSON.stringify([result].flat().map((part) => part.rows));
      } catch (error) {
        [status, body] = [500, String(error)];
      }
      res.writeHead(status, { 'content-type': 'application/json' }).end(body);
    };
    const server = createServer((req, res) => void answer(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const output = mkdtempSync(join(tmpdir(), 'sqlmap-'));
    try {
      const result = await sqlmap(['-u', `http://127.0.0.1:${(server.address() as AddressInfo).port}/vulnerable?name=jake`], output);
      expect(result.output).toMatch(FOUND);
    } finally {
      server.close();
      await db.end();
      rmSync(output, { recursive: true, force: true });
    }
  });

  itWithTool('sqlmap')('finds no injectable parameter in any operation', async () => {
    // Fresh for each operation: sqlmap's baseline request of a DELETE really deletes.
    const fixtures = async () => {
      const user = await ctx.api.register();
      const article = await ctx.api.createArticle(user.token, { tagList: ['sqlmap'] });
      const comment = (
        await ctx.api.call('post', `/api/articles/${article.slug}/comments`, { token: user.token, body: { comment: { body: 'c' } } }).expect(200)
      ).body.comment;
      const webhook = (
        await ctx.api
          .call('post', '/api/webhooks', { token: user.token, body: { webhook: { url: 'https://example.com/h', events: ['comment.created'] } } })
          .expect(201)
      ).body.webhook;
      return { token: user.token, username: user.username, slug: article.slug, commentId: String(comment.id), webhookId: String(webhook.id) };
    };
    const base = await ctx.app.getUrl();
    const output = mkdtempSync(join(tmpdir(), 'sqlmap-'));
    const only = process.env.SQLMAP_ONLY;
    const reports: string[] = [];
    try {
      for (const [path, item] of Object.entries(DOCUMENT.paths)) {
        if (!path.startsWith('/api/')) continue;
        for (const [method, operation] of Object.entries(item)) {
          if (!['get', 'post', 'put', 'delete'].includes(method)) continue;
          const parameters = operation.parameters ?? [];
          const body = markedBody(operation);
          if (parameters.length === 0 && body === undefined) continue;
          if (only && !`${method} ${path}`.includes(only)) continue;
          const fixture = await fixtures();
          const values: Record<string, string> = {
            username: fixture.username,
            slug: fixture.slug,
            id: path.includes('/comments/') ? fixture.commentId : fixture.webhookId,
          };
          let url = path;
          for (const parameter of parameters.filter((p) => p.in === 'path')) url = url.replace(`{${parameter.name}}`, `${values[parameter.name]}*`);
          const query = parameters.filter((p) => p.in === 'query').map((p) => `${p.name}=${p.name === 'limit' || p.name === 'offset' ? '1' : 'x'}*`);
          if (query.length > 0) url += `?${query.join('&')}`;
          const args = [
            '-u',
            `${base}${url}`,
            '--method',
            method.toUpperCase(),
            '-H',
            `Authorization: Token ${fixture.token}`,
            // A failed login (401) is the normal answer of the login operation, and a DELETE's own first
            // request deletes its target (404 afterwards): neither is a reason to stop testing.
            '--ignore-code',
            method === 'delete' ? '401,404' : '401',
            ...(body ? ['--data', body, '-H', 'Content-Type: application/json'] : []),
          ];
          const result = await sqlmap(args, output);
          reports.push(
            `${method.toUpperCase()} ${path}: ${FOUND.test(result.output) ? 'FOUND' : CLEAN.test(result.output) ? 'clean' : `unclear (${/\[(?:ERROR|CRITICAL)\] ([^\n]{0,160})/.exec(result.output)?.[1] ?? 'no verdict'})`}`,
          );
          if (FOUND.test(result.output)) throw new Error(`sqlmap found an injection in ${method.toUpperCase()} ${url}:\n${result.output.slice(-3000)}`);
          if (process.env.SQLMAP_DEBUG) console.log(result.output);
        }
      }
    } finally {
      rmSync(output, { recursive: true, force: true });
    }
    // Every operation was tested to the end and found clean.
    expect(reports.filter((line) => !line.endsWith('clean'))).toEqual([]);
    expect(reports.length).toBeGreaterThanOrEqual(20);
  });
});
