import type { JobsOptions, WorkerOptions } from 'bullmq';
import type { DomainEvent } from './events';

/** Every queue, by name. Producers and consumers compile against these, never against strings. */
export const QUEUES = {
  events: 'events',
  notificationFanout: 'notification-fanout',
  webhookDelivery: 'webhook-delivery',
  maintenance: 'maintenance',
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];
export const ALL_QUEUES: readonly QueueName[] = Object.values(QUEUES);

/**
 * Options of every consumer. A running job's lock is renewed every half
 * lockDuration; when a worker dies, its active jobs are taken over by another
 * worker once their lock expired, found by the stalled-job check that runs
 * every stalledInterval. Jobs here take seconds at most (a webhook attempt is
 * bounded by WEBHOOK_TIMEOUT_MS, a fan-out batch is one INSERT), so 10 s locks
 * are ample and bound the recovery of a crashed worker's jobs to about 20 s
 * (BullMQ's defaults of 30 s would make it a minute).
 */
export const WORKER_OPTIONS: Pick<WorkerOptions, 'lockDuration' | 'stalledInterval'> = { lockDuration: 10_000, stalledInterval: 10_000 };

/** Every job carries the id of the request that caused it, for its log lines, and when its event happened. */
interface JobMeta {
  requestId?: string;
  /** The W3C trace context of the request that caused the job: its spans continue that trace. */
  traceparent?: string;
  /** ISO time the event was recorded (outbox row); absent on jobs queued before it existed. */
  occurredAt?: string;
}

/** One relayed domain event (outbox row). */
export type EventJob = JobMeta & DomainEvent & { eventId: string };
/**
 * A job of the `events` queue: the events of one relay pass, in outbox order
 * (EVENTS_PER_JOB at most), or a single event whose processing failed in a
 * batch and is retried on its own.
 */
export interface EventBatchJob {
  events: EventJob[];
  /** The request ids of the events, for the job's log lines. */
  requestId?: string;
}
/** Events handled by one job: the queue's per-job cost (several Redis scripts) is shared by them. */
export const EVENTS_PER_JOB = 50;
export interface NotificationFanoutJob extends JobMeta {
  eventId: string;
  articleId: number;
  authorId: number;
  /** Followers with a greater id than this get the next batch. */
  afterFollowerId: number;
}
export interface WebhookDeliveryJob extends JobMeta {
  deliveryId: string;
}
export type MaintenanceJob = JobMeta;

/**
 * Retry defaults. Failed jobs are kept (with their error) for inspection;
 * completed ones for a day, which also lets a job id re-added by a repeated
 * relay be recognised as already done.
 */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: { age: 14 * 24 * 3600 },
};

/** Deterministic job ids make enqueueing idempotent: the same id is never queued twice. */
export const jobIds = {
  /** A batch of relayed events, by the ids of its first and last event. */
  events: (firstEventId: string, lastEventId: string) => `events-${firstEventId}-${lastEventId}`,
  /** One event retried on its own. */
  event: (eventId: string) => `event-${eventId}`,
  fanout: (eventId: string, afterFollowerId: number) => `fanout-${eventId}-${afterFollowerId}`,
  delivery: (deliveryId: string) => `delivery-${deliveryId}`,
};
