import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The signature receivers verify: HMAC-SHA256 over `<timestamp>.<raw body>`
 * with the webhook's secret, sent as `X-Conduit-Signature: sha256=<hex>` next
 * to `X-Conduit-Timestamp` (seconds), so a captured delivery cannot be replayed
 * later with a new timestamp.
 */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export function verifyWebhookSignature(secret: string, timestamp: number, body: string, signature: string): boolean {
  const expected = Buffer.from(signWebhook(secret, timestamp, body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export const WEBHOOK_HEADERS = {
  event: 'x-conduit-event',
  delivery: 'x-conduit-delivery',
  timestamp: 'x-conduit-timestamp',
  signature: 'x-conduit-signature',
} as const;
