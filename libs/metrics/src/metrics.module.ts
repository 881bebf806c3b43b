import { Global, Module } from '@nestjs/common';
import { PrometheusModule } from '@willsoto/nestjs-prometheus';
import { DbPoolMetrics } from './db-pool.metrics';
import { DependencyMetrics } from './dependency.metrics';
import { HttpMetricsMiddleware } from './http-metrics.middleware';
import {
  adminAuthFailuresCounter,
  cacheRequestsCounter,
  hashingQueuedGauge,
  hashingRefusedCounter,
  hashingWaitHistogram,
  httpDurationHistogram,
  httpRequestsCounter,
  jobDurationHistogram,
  jobsProcessedCounter,
} from './metrics.providers';

const metricProviders = [
  httpRequestsCounter,
  httpDurationHistogram,
  cacheRequestsCounter,
  jobDurationHistogram,
  jobsProcessedCounter,
  hashingQueuedGauge,
  hashingWaitHistogram,
  hashingRefusedCounter,
  adminAuthFailuresCounter,
];

/**
 * Prometheus metrics for both apps: default process metrics plus the families
 * in `METRICS`. The API serves them at /metrics (kept off the public gateway);
 * the worker on its own port (see apps/worker).
 */
@Global()
@Module({
  imports: [PrometheusModule.register({ path: '/metrics', defaultMetrics: { enabled: true } })],
  providers: [...metricProviders, HttpMetricsMiddleware, DbPoolMetrics, DependencyMetrics],
  exports: [...metricProviders, HttpMetricsMiddleware],
})
export class MetricsModule {}
