/** Every metric family the system exports; one place so dashboards and alerts can rely on them. */
export const METRICS = {
  httpRequests: 'conduit_http_requests_total',
  httpDuration: 'conduit_http_request_duration_seconds',
  cacheRequests: 'conduit_cache_requests_total',
  queueJobs: 'conduit_queue_jobs',
  jobDuration: 'conduit_job_duration_seconds',
  jobsProcessed: 'conduit_jobs_processed_total',
  outboxPending: 'conduit_outbox_pending_events',
  outboxLag: 'conduit_outbox_lag_seconds',
  dbPool: 'conduit_db_pool_connections',
  dependencyUp: 'conduit_dependency_up',
  hashingQueued: 'conduit_password_hashing_queued',
  hashingWait: 'conduit_password_hashing_wait_seconds',
  hashingRefused: 'conduit_password_hashing_refused_total',
  adminAuthFailures: 'conduit_admin_auth_failures_total',
} as const;
