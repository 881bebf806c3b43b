import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { refusedTarget, WebhookTargetPolicy } from '@app/queue';
import { publicOnlyLookup, TargetRefusedError } from './target-guard';

export interface PostWebhookOptions {
  readonly headers: Record<string, string>;
  readonly timeoutMs: number;
  /** Which targets may be called (ports; private addresses only where explicitly allowed). */
  readonly targets: WebhookTargetPolicy;
}

/** The receiver did not answer in time. */
export class WebhookTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
    this.name = 'WebhookTimeoutError';
  }
}

/**
 * What the delivery history (readable by the webhook's owner) records of a
 * failed attempt: a category, never a resolved address or a raw socket error,
 * which would make the worker an oracle for the internal network's names and ports.
 */
export function deliveryFailureReason(error: unknown, status: number | null): string {
  if (error instanceof TargetRefusedError) return error.message;
  if (error instanceof WebhookTimeoutError) return 'timeout';
  if (status !== null) return `HTTP ${status}`;
  return 'connection failed';
}

/**
 * POSTs `body` and resolves with the HTTP status. Redirects are not followed
 * (a 3xx is an answer, not a new target), the response body is discarded, and
 * the whole exchange is bounded by `timeoutMs`. The URL's port and literal
 * address are checked first and, unless private targets are allowed, every
 * address a name resolves to when the connection is made.
 */
export function postWebhook(url: URL, body: string, options: PostWebhookOptions): Promise<number> {
  const refused = refusedTarget(url, options.targets);
  if (refused) return Promise.reject(new TargetRefusedError(refused));
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const signal = AbortSignal.timeout(options.timeoutMs);
  return new Promise<number>((resolve, reject) => {
    const outgoing = request(
      url,
      {
        method: 'POST',
        headers: { ...options.headers, 'content-length': Buffer.byteLength(body) },
        lookup: options.targets.allowPrivateTargets ? undefined : publicOnlyLookup,
        signal,
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', reject);
      },
    );
    outgoing.on('error', (error) => reject(signal.aborted ? new WebhookTimeoutError(options.timeoutMs) : error));
    outgoing.end(body);
  });
}
