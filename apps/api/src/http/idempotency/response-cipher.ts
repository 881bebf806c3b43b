import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig, derivedKey } from '@app/config';

const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Stored answers are encrypted (AES-256-GCM, a key derived from JWT_SECRET for this purpose
 * alone): an answer can hold a session token or a webhook's signing secret, which must not lie
 * in the database in the clear. The record's scope and key are the additional data, so an answer
 * cannot be moved to another key.
 */
@Injectable()
export class ResponseCipher {
  private readonly key: Buffer;

  constructor(config: AppConfig) {
    this.key = derivedKey(config, 'idempotency records v1');
  }

  seal(body: unknown, recordId: string): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv).setAAD(Buffer.from(recordId));
    const sealed = Buffer.concat([cipher.update(JSON.stringify(body ?? null)), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), sealed]);
  }

  /** The body, or undefined when the record was sealed with another key (JWT_SECRET rotated) or altered. */
  open(stored: Buffer, recordId: string): { body: unknown } | undefined {
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, stored.subarray(0, IV_BYTES))
        .setAAD(Buffer.from(recordId))
        .setAuthTag(stored.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      const text = Buffer.concat([decipher.update(stored.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString();
      return { body: JSON.parse(text) as unknown };
    } catch {
      return undefined;
    }
  }
}
