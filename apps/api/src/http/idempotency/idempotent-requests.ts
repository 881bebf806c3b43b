import { Injectable } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { Transactions } from '@app/database';
import { StillRunningError, unprocessable } from '@app/errors';
import { IdempotencyRepository } from './idempotency.repository';
import { ResponseCipher } from './response-cipher';

/** A request with an Idempotency-Key, as the rules below need it. */
export interface KeyedRequest {
  /** Whose key it is: the user's (`user:<id>`), or `anonymous` (registration, login). */
  readonly scope: string;
  readonly key: string;
  readonly fingerprint: Buffer;
}

/** The answer: the handler's (`replayed` false), or the first one's again. */
export interface IdempotentAnswer {
  readonly status: number;
  readonly body: unknown;
  readonly replayed: boolean;
}

/**
 * The rules of Idempotency-Key (the IETF httpapi draft; docs/api.md#idempotency-key):
 * - the first request with a key does the work and its answer is stored, in the same transaction
 *   as everything the work changed (the ambient transaction: every statement of the handler runs
 *   in it), so a crash leaves both or neither;
 * - a retry with the same key and the same request gets that answer again, without the work;
 * - the same key with another request is a 422;
 * - a retry while the first is still running is a 409 (Retry-After: 1);
 * - only successful answers are stored: a refused request changed nothing, and its retry is
 *   checked afresh;
 * - answers are kept IDEMPOTENCY_KEY_TTL_SECONDS (24 h).
 */
@Injectable()
export class IdempotentRequests {
  constructor(
    private readonly transactions: Transactions,
    private readonly repository: IdempotencyRepository,
    private readonly cipher: ResponseCipher,
    private readonly config: AppConfig,
  ) {}

  /** Runs `handle` (which answers the body and then knows its status) at most once per key. */
  run(request: KeyedRequest, handle: () => Promise<{ status: number; body: unknown }>): Promise<IdempotentAnswer> {
    const recordId = `${request.scope}\n${request.key}`;
    return this.transactions.runAround(async (tx) => {
      if (!(await this.repository.tryLock(request.scope, request.key, tx))) {
        throw new StillRunningError(1, 'a request with this Idempotency-Key is still being processed; retry shortly');
      }
      const stored = await this.repository.find(request.scope, request.key, tx);
      if (stored !== undefined) {
        if (!stored.fingerprint.equals(request.fingerprint)) {
          throw unprocessable('this Idempotency-Key was used for another request: use a new key for a new request');
        }
        const opened = this.cipher.open(stored.response, recordId);
        // Sealed under a previous JWT_SECRET: the answer cannot be read back, and the work is done.
        if (opened === undefined) throw unprocessable('the answer to this Idempotency-Key can no longer be read (the server keys were rotated): use a new key');
        return { status: stored.status, body: opened.body, replayed: true };
      }
      const { status, body } = await handle();
      if (status >= 200 && status < 300) {
        await this.repository.save(
          request.scope,
          request.key,
          { fingerprint: request.fingerprint, status, response: this.cipher.seal(body, recordId) },
          this.config.idempotencyKeyTtlSeconds,
          tx,
        );
      }
      return { status, body, replayed: false };
    });
  }
}
