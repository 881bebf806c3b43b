import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppConfig } from '@app/config';
import { ConduitClient, createHttpTestApp, sleep } from '@app/testing';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { configureApp } from '../../src/http/configure-app';

export interface ApiTestContext {
  app: NestExpressApplication;
  api: ConduitClient;
  /** Direct SQL, to check what the API stored (never to arrange state behind its back). */
  db: DataSource;
}

/**
 * The real API (real PostgreSQL and Redis from `npm test`), booted once per
 * test file. `env` overrides settings for this app (e.g. its own Redis).
 */
export function useApiTestApp(env: () => Record<string, string> = () => ({})): ApiTestContext {
  const context = {} as ApiTestContext;
  beforeAll(async () => {
    Object.assign(context, await startApiTestApp(env()));
  });
  afterAll(async () => {
    await context.app?.close();
  });
  return context;
}

/** One more instance of the API, for a test that needs several or starts one late; the caller closes `app`. */
export async function startApiTestApp(env: Record<string, string> = {}): Promise<ApiTestContext> {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  let app: NestExpressApplication;
  try {
    app = await createHttpTestApp(AppModule, configureApp);
  } finally {
    process.env = saved;
  }
  // Listening on a loopback port, so the typed client (fetch) reaches it like any other client.
  await app.listen(0, '127.0.0.1');
  return { app, api: new ConduitClient(app.getHttpServer(), await app.getUrl()), db: app.get(DataSource) };
}

/**
 * A cache miss fills the cache after answering (not awaited, to keep latency
 * out of the response). Each fill is bounded by CACHE_TIMEOUT_MS, so once that
 * has passed, every fill begun so far has landed or been given up.
 */
export async function waitForCacheFills(ctx: ApiTestContext): Promise<void> {
  await sleep(ctx.app.get(AppConfig).cacheTimeoutMs + 50);
}

/** Every error body has the RealWorld shape: a non-empty string array under errors.body. */
export function expectErrorShape(body: unknown): void {
  expect(body).toEqual({ errors: { body: expect.arrayContaining([expect.any(String)]) } });
  const text = JSON.stringify(body);
  expect(text).not.toMatch(/\bat [\w.<>]+ \(|node_modules|QueryFailedError|SELECT |INSERT |\.ts:\d+/);
}

export const ISO_MILLIS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
