import { hkdfSync } from 'node:crypto';
import type { AppConfig } from './app-config';

/**
 * A 256-bit key of its own for one purpose (page cursors, stored idempotent answers), derived
 * from JWT_SECRET with HKDF-SHA256: one secret to manage, and no key that serves two purposes.
 * Rotating JWT_SECRET rotates all of them.
 */
export function derivedKey(config: Pick<AppConfig, 'jwtSecret'>, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', config.jwtSecret, 'conduit', purpose, 32));
}
