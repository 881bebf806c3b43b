import { createHash } from 'node:crypto';
import { HttpStatus } from '@nestjs/common';
import { ApiError } from '@app/errors';
import type { Request } from 'express';

export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
/** Sent on an answer that is a replay of the first one, not the work done again. */
export const REPLAYED_HEADER = 'Idempotent-Replayed';
export const MAX_KEY_LENGTH = 255;

/** An sf-string (RFC 8941), as the IETF draft has it: `"..."` with `\"` and `\\`. */
const SF_STRING = /^"((?:[\x20\x21\x23-\x5b\x5d-\x7e]|\\["\\])*)"$/;
/** Or the value bare, as many clients send a UUID. */
const BARE = /^[\x21-\x7e]+$/;

/** The key a header value names; 400 in the error shape when it is malformed, empty or too long. */
export function parseIdempotencyKey(header: string | string[]): string {
  const value = Array.isArray(header) ? undefined : header.trim();
  const quoted = value === undefined ? undefined : SF_STRING.exec(value);
  const key = quoted ? quoted[1].replace(/\\(["\\])/g, '$1') : value !== undefined && BARE.test(value) && !value.startsWith('"') ? value : undefined;
  if (key === undefined || key === '' || key.length > MAX_KEY_LENGTH) {
    throw new ApiError(
      HttpStatus.BAD_REQUEST,
      `${IDEMPOTENCY_KEY_HEADER} must be one string of 1 to ${MAX_KEY_LENGTH} printable ASCII characters, e.g. "8e03978e-40d5-43e8-bc93-6894a57f9324"`,
    );
  }
  return key;
}

/** What makes two requests the same one: the method, the path with its query, and the body as sent. */
export function requestFingerprint(request: Pick<Request, 'method' | 'originalUrl' | 'body'>): Buffer {
  return createHash('sha256')
    .update(`${request.method} ${request.originalUrl}\n`)
    .update(JSON.stringify(request.body ?? null) ?? 'null')
    .digest();
}
