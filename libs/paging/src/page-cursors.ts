import { createHmac, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig, derivedKey } from '@app/config';
import { unprocessable } from '@app/errors';

/** Where a page ended, in the list's sort order: its last item's sort key (e.g. date and id). */
export type CursorPosition = readonly (string | number)[];

/** `<payload>.<mac>`: base64url JSON of the position, and the first 128 bits of its HMAC-SHA256. */
const CURSOR = /^([A-Za-z0-9_-]{1,400})\.([A-Za-z0-9_-]{22})$/;
export const MAX_CURSOR_LENGTH = 423;
const INVALID = 'cursor is invalid: pass a nextCursor this list returned, unchanged';

/**
 * Opaque, tamper-evident page cursors (docs/api.md, "Lists"). A cursor names a position in one
 * list: its MAC covers the list it was issued for (the endpoint and, say, the article), so a
 * cursor edited by hand, made up, or taken from another list is refused with 422, and a client
 * can rely on nothing inside it. The key is derived from JWT_SECRET (HKDF, its own purpose), so
 * every instance issues and accepts the same cursors and rotating the secret voids them.
 */
@Injectable()
export class PageCursors {
  private readonly key: Buffer;

  constructor(config: AppConfig) {
    this.key = derivedKey(config, 'page cursors v1');
  }

  encode(list: string, position: CursorPosition): string {
    const payload = Buffer.from(JSON.stringify(position)).toString('base64url');
    return `${payload}.${this.mac(list, payload).toString('base64url')}`;
  }

  /**
   * Where a page of `list` starts: the position of the page's `cursor` (undefined without one).
   * A cursor with an offset is refused (422): it already says where the page starts.
   */
  after(list: string, page: { readonly cursor?: string; readonly offset?: number }, shape: readonly ('string' | 'number')[]): CursorPosition | undefined {
    if (page.cursor === undefined) return undefined;
    if ((page.offset ?? 0) !== 0) throw unprocessable('offset and cursor cannot be combined: a cursor already says where the page starts');
    return this.decode(list, page.cursor, shape);
  }

  /** The position of a cursor this list issued; 422 in the error shape for anything else. */
  decode(list: string, cursor: string, shape: readonly ('string' | 'number')[]): CursorPosition {
    const [, payload, mac] = CURSOR.exec(cursor) ?? [];
    // Compared as text: another spelling of the same bits (base64url's unused last bits) is refused too.
    if (payload === undefined || !timingSafeEqual(Buffer.from(mac), Buffer.from(this.mac(list, payload).toString('base64url')))) throw unprocessable(INVALID);
    let position: unknown;
    try {
      position = JSON.parse(Buffer.from(payload, 'base64url').toString());
    } catch {
      throw unprocessable(INVALID);
    }
    // Only we can make a valid MAC, so this holds unless the shape of a list's cursor changed.
    if (!Array.isArray(position) || position.length !== shape.length || position.some((value, i) => typeof value !== shape[i])) throw unprocessable(INVALID);
    return position as CursorPosition;
  }

  /**
   * A page from rows read with one more than `limit` (all when undefined): the first `limit`,
   * and a cursor after the last of them when more followed (null otherwise).
   */
  page<T>(list: string, rows: readonly T[], limit: number | undefined, positionOf: (row: T) => CursorPosition): { items: T[]; nextCursor: string | null } {
    if (limit === undefined || rows.length <= limit) return { items: [...rows], nextCursor: null };
    const items = rows.slice(0, limit);
    return { items, nextCursor: this.encode(list, positionOf(items[limit - 1])) };
  }

  private mac(list: string, payload: string): Buffer {
    return createHmac('sha256', this.key).update(list).update('\n').update(payload).digest().subarray(0, 16);
  }
}
