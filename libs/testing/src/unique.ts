import { randomBytes } from 'node:crypto';

/** A name no other test (or test run) uses: tests share one database and never assume it is empty. */
export function unique(prefix: string): string {
  return `${prefix}${randomBytes(5).toString('hex')}`;
}
