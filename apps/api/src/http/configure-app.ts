import { INestApplication, RequestMethod } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppConfig } from '@app/config';
import { accessLogMiddleware, AppLogger, assignRequestIdMiddleware, requestContextMiddleware } from '@app/logging';
import { HttpMetricsMiddleware } from '@app/metrics';
import { clientIdentityMiddleware } from './client-identity';
import { closeWhileDrainingMiddleware, ServerLifecycle, trustProxies } from './lifecycle';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { setupSwagger } from './swagger';

/**
 * Everything about the HTTP edge, shared by `main.ts` and the e2e tests so
 * both run exactly the same stack.
 */
export function configureApp(app: NestExpressApplication): void {
  const config = app.get(AppConfig);
  const logger = app.get(AppLogger);
  app.useLogger(logger);
  app.use(trustProxies(app, config.trustedProxies));
  app.use(clientIdentityMiddleware(config.rateLimit.ipv6PrefixBits));
  app.use(closeWhileDrainingMiddleware(app.get(ServerLifecycle)));
  app.use(assignRequestIdMiddleware);
  app.use(accessLogMiddleware(logger.pino));
  // Early, so every request is measured, including those refused by later layers.
  const httpMetrics = app.get(HttpMetricsMiddleware);
  app.use((req: Request, res: Response, next: NextFunction) => httpMetrics.use(req, res, next));
  useApiPrefix(app);
  // JSON only; larger bodies get 413 in the API's error shape (see ApiExceptionFilter).
  app.useBodyParser('json', { limit: config.bodyLimitBytes });
  app.use(requestContextMiddleware);
  app.use(
    helmet({
      // Swagger UI needs inline styles and data: images; the API itself serves only JSON.
      contentSecurityPolicy: {
        directives: { 'style-src': ["'self'", "'unsafe-inline'"], 'img-src': ["'self'", 'data:', 'https:'] },
      },
    }),
  );
  app.enableCors({
    origin: config.corsOrigins.includes('*') ? true : [...config.corsOrigins],
    methods: ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'],
    allowedHeaders: ['Authorization', 'Content-Type', 'X-Requested-With', 'X-Request-Id', 'Idempotency-Key'],
    exposedHeaders: ['X-Request-Id', 'Idempotent-Replayed', 'Retry-After'],
    maxAge: 600,
  });
  app.set('query parser', 'simple');
  if (config.swaggerEnabled) setupSwagger(app);
}

/**
 * Routes live under /api except probes, metrics and the queue dashboard.
 * Shared with the OpenAPI CLI, which must see the same paths as clients do.
 */
export function useApiPrefix(app: INestApplication): void {
  app.setGlobalPrefix('api', {
    exclude: [
      { path: 'health/live', method: RequestMethod.GET },
      { path: 'health/ready', method: RequestMethod.GET },
      { path: 'metrics', method: RequestMethod.GET },
      // The queue dashboard (AdminModule) mounts itself at /admin/queues.
      { path: 'admin/queues', method: RequestMethod.ALL },
      { path: 'admin/queues/*path', method: RequestMethod.ALL },
    ],
  });
}
