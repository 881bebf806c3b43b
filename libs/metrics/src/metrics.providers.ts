import { makeCounterProvider, makeGaugeProvider, makeHistogramProvider } from '@willsoto/nestjs-prometheus';
import { METRICS } from './metric-names';

/** Buckets from 5 ms to 10 s: API latencies and job runs both fall inside. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export const httpRequestsCounter = makeCounterProvider({
  name: METRICS.httpRequests,
  help: 'HTTP requests by method, route template and status',
  labelNames: ['method', 'route', 'status'],
});

export const httpDurationHistogram = makeHistogramProvider({
  name: METRICS.httpDuration,
  help: 'HTTP request duration by method, route template and status',
  labelNames: ['method', 'route', 'status'],
  buckets: LATENCY_BUCKETS,
});

export const cacheRequestsCounter = makeCounterProvider({
  name: METRICS.cacheRequests,
  help: 'Cache lookups by cache name, result (hit, miss, coalesced, error, bypass) and the tier that answered a hit (local, redis)',
  labelNames: ['cache', 'result', 'tier'],
});

export const jobDurationHistogram = makeHistogramProvider({
  name: METRICS.jobDuration,
  help: 'Job processing duration by queue and outcome',
  labelNames: ['queue', 'outcome'],
  buckets: LATENCY_BUCKETS,
});

export const jobsProcessedCounter = makeCounterProvider({
  name: METRICS.jobsProcessed,
  help: 'Jobs processed by queue and outcome (completed, failed)',
  labelNames: ['queue', 'outcome'],
});

export const hashingQueuedGauge = makeGaugeProvider({
  name: METRICS.hashingQueued,
  help: 'Password hashes (logins, registrations, password changes) waiting for a hashing thread',
});

export const hashingWaitHistogram = makeHistogramProvider({
  name: METRICS.hashingWait,
  help: 'Time a password hash waited for a hashing thread',
  buckets: LATENCY_BUCKETS,
});

export const hashingRefusedCounter = makeCounterProvider({
  name: METRICS.hashingRefused,
  help: 'Password hashes refused (503) because the hashing queue was full',
});

export const adminAuthFailuresCounter = makeCounterProvider({
  name: METRICS.adminAuthFailures,
  help: 'Requests to the admin pages with missing or wrong credentials',
});
