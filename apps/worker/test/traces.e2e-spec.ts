import { randomBytes } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { freePort, RunningProcess, startBuiltWorker, startReceiver, TestRedis, unique, useBuiltApi, useOwnDatabase, waitUntil } from '@app/testing';

/** A span as OTLP/JSON carries it, with the service that sent it. */
interface ReceivedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: Record<string, unknown>;
}

const SPAN_KIND = { server: 2, client: 3, consumer: 5 };

/**
 * A small OTLP/HTTP receiver (JSON, what @opentelemetry/exporter-trace-otlp-http sends): every
 * span of every export, flattened.
 */
async function startOtlpReceiver(): Promise<{ url: string; spans: ReceivedSpan[]; server: Server }> {
  const spans: ReceivedSpan[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.url === '/v1/traces') {
        const body = JSON.parse(Buffer.concat(chunks).toString()) as {
          resourceSpans: {
            resource: { attributes: { key: string; value: { stringValue?: string } }[] };
            scopeSpans: { spans: (Omit<ReceivedSpan, 'service' | 'attributes'> & { attributes?: { key: string; value: Record<string, unknown> }[] })[] }[];
          }[];
        };
        for (const resource of body.resourceSpans) {
          const service = resource.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue ?? '';
          for (const scope of resource.scopeSpans) {
            for (const span of scope.spans) {
              const attributes = Object.fromEntries((span.attributes ?? []).map((a) => [a.key, Object.values(a.value)[0]]));
              spans.push({ ...span, service, attributes, parentSpanId: span.parentSpanId || undefined });
            }
          }
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, spans, server };
}

/**
 * Traces (docs/operations.md, "Traces"): with the standard OTEL_* variables set, the built API and
 * worker export spans over OTLP/HTTP, and one request is one trace from the client's
 * `traceparent` (as the gateway passes it on) through the API and its SQL, the outbox row, the
 * worker's job, to the webhook's POST, whose `traceparent` header names the worker's span.
 * A database and a Redis of the suite's own: its worker relays only its own events.
 */
describe('traces from request to webhook (real API and worker processes, OTLP)', () => {
  jest.setTimeout(60_000);
  const prefix = `traces:${unique('')}:`;
  const database = useOwnDatabase();
  let otlp: Awaited<ReturnType<typeof startOtlpReceiver>>;
  let redis: TestRedis;
  let worker: RunningProcess;
  const tracingEnv = () => ({ OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url, OTEL_BSP_SCHEDULE_DELAY: '100' });

  beforeAll(async () => {
    otlp = await startOtlpReceiver();
    redis = await TestRedis.start();
  }, 60_000);
  const ctx = useBuiltApi(() => ({ ...database.env(), ...redis.env(), REDIS_KEY_PREFIX: prefix, ...tracingEnv() }));
  beforeAll(async () => {
    worker = await startBuiltWorker({
      ...database.env(),
      ...redis.env(),
      REDIS_KEY_PREFIX: prefix,
      WORKER_METRICS_PORT: String(await freePort()),
      ...tracingEnv(),
    });
  }, 60_000);
  afterAll(async () => {
    await worker?.stop();
    await redis?.stop();
    await new Promise((resolve) => otlp?.server.close(resolve));
  });

  it('makes one trace of gateway request id -> API -> SQL -> outbox -> worker job -> webhook POST, with the right parents', async () => {
    const receiver = await startReceiver(() => 200);
    try {
      const [owner, fan] = [await ctx.api.register(), await ctx.api.register()];
      await ctx.api.call('post', '/api/webhooks', { token: owner.token, body: { webhook: { url: receiver.url, events: ['user.followed'] } } }).expect(201);

      // The client's (or the gateway's) trace, and the gateway's request id.
      const traceId = randomBytes(16).toString('hex');
      const clientSpanId = randomBytes(8).toString('hex');
      const requestId = unique('trace-request');
      const followed = await ctx.api
        .call('post', `/api/profiles/${owner.username}/follow`, {
          token: fan.token,
          headers: { traceparent: `00-${traceId}-${clientSpanId}-01`, 'x-request-id': requestId },
        })
        .expect(200);

      await waitUntil(() => receiver.received.length === 1, { what: 'the webhook delivery', timeoutMs: 30_000 });
      const header = String(receiver.received[0].headers.traceparent ?? '');
      expect(header).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
      const webhookParent = header.split('-')[2];

      // Every span of the chain, exported by both processes (in batches every 100 ms).
      const inTrace = () => otlp.spans.filter((span) => span.traceId === traceId);
      const byId = () => new Map(inTrace().map((span) => [span.spanId, span]));
      await waitUntil(() => byId().has(webhookParent), { what: 'the span of the webhook POST', timeoutMs: 15_000 });

      const ancestors = (span: ReceivedSpan): ReceivedSpan[] => {
        const chain: ReceivedSpan[] = [];
        for (let parent = span.parentSpanId && byId().get(span.parentSpanId); parent; parent = parent.parentSpanId && byId().get(parent.parentSpanId))
          chain.push(parent);
        return chain;
      };

      // The webhook POST: an HTTP client span of the worker, in the delivery job's span.
      const post = byId().get(webhookParent)!;
      expect(post).toMatchObject({ service: 'conduit-worker', kind: SPAN_KIND.client });
      const chain = ancestors(post);
      const job = chain.find((span) => span.name === 'job webhook-delivery');
      expect(job).toMatchObject({ service: 'conduit-worker', kind: SPAN_KIND.consumer });

      // Above the job: the API's request, the child of the client's span, with the gateway's request id.
      const server = chain.find((span) => span.service === 'conduit-api' && span.kind === SPAN_KIND.server);
      expect(server).toBeDefined();
      expect(server!.parentSpanId).toBe(clientSpanId);
      // the request id the API answered with (the client's here, had it come through a trusted gateway)
      expect(server!.attributes['conduit.request_id']).toBe(followed.headers['x-request-id']);
      expect(chain.at(-1)!.parentSpanId).toBe(clientSpanId); // nothing in between is missing

      // In the API's request: its SQL (the follow with its outbox row) and Redis.
      const underServer = inTrace().filter((span) => ancestors(span).includes(server!));
      expect(underServer.some((span) => span.attributes['db.system'] === 'postgresql' || span.attributes['db.system.name'] === 'postgresql')).toBe(true);
      // And the event's notification, in the worker, in the same trace.
      expect(inTrace().some((span) => span.service === 'conduit-worker' && span.name === 'event user.followed')).toBe(true);
    } finally {
      await new Promise((resolve) => receiver.server.close(resolve));
    }
  });

  it('exports no spans for health probes and metrics scrapes', async () => {
    const before = otlp.spans.filter((span) => span.service === 'conduit-api' && span.kind === SPAN_KIND.server).length;
    for (let i = 0; i < 5; i++) await fetch(`${ctx.url}/health/live`);
    await fetch(`${ctx.url}/api/tags`);
    await waitUntil(() => otlp.spans.filter((span) => span.service === 'conduit-api' && span.kind === SPAN_KIND.server).length > before, {
      what: 'the /api/tags span',
    });
    const servers = otlp.spans.filter((span) => span.service === 'conduit-api' && span.kind === SPAN_KIND.server).slice(before);
    expect(servers.some((span) => JSON.stringify(span.attributes).includes('/health'))).toBe(false);
  });
});
