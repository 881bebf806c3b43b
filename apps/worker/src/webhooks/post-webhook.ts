import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { publicOnlyLookup, refusedLiteralTarget } from './target-guard';

export interface PostWebhookOptions {
  readonly headers: Record<string, string>;
  readonly timeoutMs: number;
  /** Development only: lets deliveries reach loopback and private networks. */
  readonly allowPrivateTargets: boolean;
}

/** The receiver did not answer in time; the message is what the delivery history shows. */
export class WebhookTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
    this.name = 'WebhookTimeoutError';
  }
}

/**
 * POSTs `body` and resolves with the HTTP status. Redirects are not followed
 * (a 3xx is an answer, not a new target), the response body is discarded, and
 * the whole exchange is bounded by `timeoutMs`. Unless private targets are
 * allowed, the address is checked when the connection is made.
 */
export function postWebhook(url: URL, body: string, options: PostWebhookOptions): Promise<number> {
  const refused = options.allowPrivateTargets ? undefined : refusedLiteralTarget(url);
  if (refused) return Promise.reject(refused);
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const signal = AbortSignal.timeout(options.timeoutMs);
  return new Promise<number>((resolve, reject) => {
    const outgoing = request(
      url,
      {
        method: 'POST',
        headers: { ...options.headers, 'content-length': Buffer.byteLength(body) },
        lookup: options.allowPrivateTargets ? undefined : publicOnlyLookup,
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
