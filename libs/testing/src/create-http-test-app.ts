import type { Type } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';

/**
 * Boots an application module exactly as its `main.ts` does (same `configure`
 * step), without listening on a port: supertest drives it in-process.
 */
export async function createHttpTestApp(rootModule: Type, configure: (app: NestExpressApplication) => void): Promise<NestExpressApplication> {
  const moduleRef = await Test.createTestingModule({ imports: [rootModule] }).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ bufferLogs: true });
  configure(app);
  await app.init();
  return app;
}
