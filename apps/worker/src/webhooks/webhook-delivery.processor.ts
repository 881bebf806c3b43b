import { Processor } from '@nestjs/bullmq';
import { AppConfig } from '@app/config';
import { QUEUES, signWebhook, WEBHOOK_HEADERS, WebhookDeliveryJob, WORKER_OPTIONS } from '@app/queue';
import { Job, UnrecoverableError } from 'bullmq';
import { InstrumentedProcessor } from '../jobs/instrumented-processor';
import { deliveryFailureReason, postWebhook } from './post-webhook';
import { TargetRefusedError } from './target-guard';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository';

/**
 * POSTs one delivery with an HMAC signature. A non-2xx answer, a network
 * error or a timeout fails the attempt, and BullMQ retries with exponential
 * backoff; after the last attempt the delivery is parked as `dead`. Every
 * attempt is recorded on the delivery, readable through the API. A delivery
 * already delivered or dead is never sent again; an HTTP call cannot be made
 * exactly-once, so receivers deduplicate on the X-Conduit-Delivery id.
 */
@Processor(QUEUES.webhookDelivery, WORKER_OPTIONS)
export class WebhookDeliveryProcessor extends InstrumentedProcessor<WebhookDeliveryJob> {
  constructor(
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly config: AppConfig,
  ) {
    super();
  }

  protected async handle(job: Job<WebhookDeliveryJob>): Promise<{ status: number } | undefined> {
    const delivery = await this.deliveries.find(job.data.deliveryId);
    if (delivery === undefined || delivery.status !== 'pending') return undefined;
    const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);

    const body = JSON.stringify({
      id: delivery.id,
      event: delivery.eventType,
      eventId: delivery.eventId,
      createdAt: delivery.createdAt,
      data: delivery.payload,
    });
    const timestamp = Math.floor(Date.now() / 1000);
    let status: number | null = null;
    try {
      status = await postWebhook(new URL(delivery.url), body, {
        timeoutMs: this.config.webhooks.timeoutMs,
        targets: this.config.webhooks,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Conduit-Webhooks/1.0',
          [WEBHOOK_HEADERS.event]: delivery.eventType,
          [WEBHOOK_HEADERS.delivery]: delivery.id,
          [WEBHOOK_HEADERS.timestamp]: String(timestamp),
          [WEBHOOK_HEADERS.signature]: signWebhook(delivery.secret, timestamp, body),
        },
      });
      if (status < 200 || status >= 300) throw new Error(`HTTP ${status}`);
    } catch (error) {
      const message = deliveryFailureReason(error, status);
      // A refused target will not become allowed on retry: park it at once.
      const final = lastAttempt || error instanceof TargetRefusedError;
      await this.deliveries.markFailed(delivery.id, status, message, final);
      throw final && !lastAttempt ? new UnrecoverableError(message) : new Error(message);
    }
    await this.deliveries.markDelivered(delivery.id, status);
    return { status };
  }
}
