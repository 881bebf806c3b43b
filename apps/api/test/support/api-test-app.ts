import type { NestExpressApplication } from '@nestjs/platform-express';
import { ConduitClient, createHttpTestApp } from '@app/testing';
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
    const saved = { ...process.env };
    Object.assign(process.env, env());
    try {
      context.app = await createHttpTestApp(AppModule, configureApp);
    } finally {
      process.env = saved;
    }
    context.api = new ConduitClient(context.app.getHttpServer());
    context.db = context.app.get(DataSource);
  });
  afterAll(async () => {
    await context.app?.close();
  });
  return context;
}

/** Every error body has the RealWorld shape: a non-empty string array under errors.body. */
export function expectErrorShape(body: unknown): void {
  expect(body).toEqual({ errors: { body: expect.arrayContaining([expect.any(String)]) } });
  const text = JSON.stringify(body);
  expect(text).not.toMatch(/\bat [\w.<>]+ \(|node_modules|QueryFailedError|SELECT |INSERT |\.ts:\d+/);
}

export const ISO_MILLIS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
