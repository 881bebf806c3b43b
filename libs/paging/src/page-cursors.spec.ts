import { derivedKey, loadConfig } from '@app/config';
import { PageCursors } from './page-cursors';
import { httpStatusOf } from '@app/testing';

const config = (secret: string) => loadConfig({ DATABASE_URL: 'postgres://localhost/db', REDIS_URL: 'redis://localhost', JWT_SECRET: secret });
const cursors = new PageCursors(config('unit-test-secret-unit-test-secret-0123'));

describe('PageCursors', () => {
  it('round-trips a position for the list it was issued for', () => {
    const cursor = cursors.encode('comments of article 7', ['1764852000000123', 42]);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/);
    expect(cursors.decode('comments of article 7', cursor, ['string', 'number'])).toEqual(['1764852000000123', 42]);
  });

  it('refuses with 422 a cursor of another list, an edited one, one of another shape or made with another secret', () => {
    const cursor = cursors.encode('comments of article 7', ['1764852000000123', 42]);
    const [payload, mac] = cursor.split('.');
    const edited = `${Buffer.from(JSON.stringify(['1764852000000123', 43])).toString('base64url')}.${mac}`;
    const other = new PageCursors(config('another-secret-another-secret-another-0')).encode('comments of article 7', ['1764852000000123', 42]);
    expect(httpStatusOf(() => cursors.decode('comments of article 8', cursor, ['string', 'number']))).toBe(422);
    expect(httpStatusOf(() => cursors.decode('comments of article 7', edited, ['string', 'number']))).toBe(422);
    expect(httpStatusOf(() => cursors.decode('comments of article 7', cursor, ['string', 'number', 'number']))).toBe(422);
    expect(httpStatusOf(() => cursors.decode('comments of article 7', other, ['string', 'number']))).toBe(422);
    expect(httpStatusOf(() => cursors.decode('comments of article 7', `${payload}.`, ['string', 'number']))).toBe(422);
    // any other character, even in the last one's unused bits
    for (const i of [0, mac.length - 1]) {
      const other = `${mac.slice(0, i)}${mac[i] === 'A' ? 'B' : 'A'}${mac.slice(i + 1)}`;
      expect(httpStatusOf(() => cursors.decode('comments of article 7', `${payload}.${other}`, ['string', 'number']))).toBe(422);
    }
    expect(httpStatusOf(() => cursors.decode('comments of article 7', 'garbage', ['string', 'number']))).toBe(422);
  });

  it('pages rows read one beyond the limit: a cursor after the last shown when more followed', () => {
    expect(cursors.page('l', [1, 2, 3], 2, (n) => [n]).items).toEqual([1, 2]);
    const { nextCursor } = cursors.page('l', [1, 2, 3], 2, (n) => [n]);
    expect(cursors.decode('l', nextCursor!, ['number'])).toEqual([2]);
    expect(cursors.page('l', [1, 2], 2, (n) => [n])).toEqual({ items: [1, 2], nextCursor: null });
    expect(cursors.page('l', [1, 2, 3], undefined, (n) => [n])).toEqual({ items: [1, 2, 3], nextCursor: null });
  });

  it('uses a key of its own, derived from JWT_SECRET per purpose', () => {
    const secret = config('unit-test-secret-unit-test-secret-0123');
    expect(derivedKey(secret, 'page cursors v1')).toEqual(derivedKey(secret, 'page cursors v1'));
    expect(derivedKey(secret, 'page cursors v1')).not.toEqual(derivedKey(secret, 'idempotency records v1'));
    expect(derivedKey(secret, 'page cursors v1')).toHaveLength(32);
  });
});
