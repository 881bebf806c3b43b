import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Logger } from '@nestjs/common';
import pino from 'pino';
import { accessLogMiddleware } from './access-log';
import { AppLogger } from './app-logger';
import { requestIdMixin } from './logging.module';
import { runWithRequestId } from './request-context';

/** A pino logger that writes its lines into an array, parsed. */
function capturingLogger(level: pino.Level = 'info') {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level, mixin: () => ({}) }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { logger, lines };
}

describe('access log', () => {
  let server: Server;
  let base: string;
  let capture: ReturnType<typeof capturingLogger>;

  beforeEach(async () => {
    capture = capturingLogger();
    const log = accessLogMiddleware(capture.logger);
    server = createServer((req, res) =>
      log(req, res, () => {
        const status = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('status') ?? 200);
        if (req.url?.startsWith('/hang')) {
          res.write('partial');
          return;
        }
        res.statusCode = status;
        res.end('{}');
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

  it('writes one line per request with its id, method, URL, status and duration, at a level by status', async () => {
    await fetch(`${base}/api/tags?status=200`, { headers: { 'x-request-id': 'req-1' } });
    await fetch(`${base}/api/user?status=401`);
    await fetch(`${base}/api/boom?status=500`);
    await settle();
    expect(capture.lines.map((line) => [line.level, (line.res as { statusCode: number }).statusCode, line.msg])).toEqual([
      [30, 200, 'request completed'],
      [40, 401, 'request completed'],
      [50, 500, 'request completed'],
    ]);
    expect(capture.lines[0]).toMatchObject({ requestId: 'req-1', req: { id: 'req-1', method: 'GET', url: '/api/tags?status=200' } });
    expect(typeof capture.lines[0].responseTime).toBe('number');
    expect(capture.lines[1].requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('logs a request whose client went away as aborted, and never logs health probes', async () => {
    const controller = new AbortController();
    const response = await fetch(`${base}/hang`, { signal: controller.signal });
    controller.abort();
    await response.text().catch(() => undefined);
    await fetch(`${base}/health/live`);
    await settle();
    expect(capture.lines.map((line) => [line.level, line.msg])).toEqual([[40, 'request aborted']]);
  });

  it('writes nothing below the configured level', async () => {
    capture.logger.level = 'warn';
    await fetch(`${base}/api/tags`);
    await fetch(`${base}/api/user?status=404`);
    await settle();
    expect(capture.lines.map((line) => (line.res as { statusCode: number }).statusCode)).toEqual([404]);
  });
});

describe('AppLogger (Nest logger over pino)', () => {
  it('writes the context, the stack of errors, and the request id of the request it runs in', () => {
    const lines: Record<string, unknown>[] = [];
    const root = pino({ level: 'debug', mixin: requestIdMixin }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
    const logger = new AppLogger(root);
    Logger.overrideLogger(logger);
    try {
      runWithRequestId('req-9', () => new Logger('Cache').warn('cache unavailable'));
      new Logger('Filter').error('boom', 'Error: boom\n    at x');
      logger.error(new Error('crashed'), 'Worker');
      logger.verbose('not written: below debug');
    } finally {
      Logger.overrideLogger(false);
    }
    expect(lines).toMatchObject([
      { level: 40, context: 'Cache', msg: 'cache unavailable', requestId: 'req-9' },
      { level: 50, context: 'Filter', msg: 'boom', stack: 'Error: boom\n    at x' },
      { level: 50, context: 'Worker', msg: 'crashed', err: { message: 'crashed' } },
    ]);
    expect(lines).toHaveLength(3);
    expect(lines[1]).not.toHaveProperty('requestId');
  });
});
