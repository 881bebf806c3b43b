import { walkPages } from '@app/testing';
import { expectErrorShape, useApiTestApp } from './support/api-test-app';

/**
 * Cursor paging (docs/api.md, "Lists"): walking the cursors returns every item exactly once, in
 * the list's order, also while items are added; a cursor is opaque and bound to its list. Here:
 * comments. Notifications and webhook deliveries, which the worker writes: background-jobs.e2e-spec.ts.
 */
describe('cursor paging', () => {
  const ctx = useApiTestApp();
  let author: Awaited<ReturnType<typeof ctx.api.register>>;
  let slug: string;
  const comment = (token: string, articleSlug: string, body: string) =>
    ctx.api.call('post', `/api/articles/${articleSlug}/comments`, { token, body: { comment: { body } } }).expect(200);
  const comments = async (query: string, articleSlug = slug) => (await ctx.api.call('get', `/api/articles/${articleSlug}/comments${query}`).expect(200)).body;

  beforeAll(async () => {
    author = await ctx.api.register();
    slug = (await ctx.api.createArticle(author.token)).slug;
    // Ten at once: several share a millisecond (the cursor keeps the database's microseconds).
    await Promise.all(Array.from({ length: 10 }, (_, i) => comment(author.token, slug, `burst ${i}`)));
    for (let i = 0; i < 15; i++) await comment(author.token, slug, `comment ${i}`);
  });

  describe('GET /api/articles/:slug/comments', () => {
    it('without limit answers every comment as the contract has it, with nextCursor null', async () => {
      const body = await comments('');
      expect(body.comments).toHaveLength(25);
      expect(body.nextCursor).toBeNull();
    });

    it('walks pages of limit with the cursors: every comment exactly once, newest first, while new ones are added', async () => {
      const before = (await comments('')).comments.map((c: { id: number }) => c.id);
      const pages = await walkPages(
        async (cursor) => {
          const body = await comments(`?limit=4${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
          return { items: body.comments.map((c: { id: number }) => c.id), nextCursor: body.nextCursor };
        },
        // Newer than every comment walked so far: they belong before the cursor, never after it.
        async (page) => void (await comment(author.token, slug, `added during the walk ${page}`)),
      );
      expect(pages.map((page) => page.length)).toEqual([4, 4, 4, 4, 4, 4, 1]);
      expect(pages.flat()).toEqual(before);
    });

    it('gives a last full page nextCursor null', async () => {
      const article = (await ctx.api.createArticle(author.token)).slug;
      for (let i = 0; i < 4; i++) await comment(author.token, article, `c${i}`);
      const first = await comments('?limit=2', article);
      const second = await comments(`?limit=2&cursor=${encodeURIComponent(first.nextCursor)}`, article);
      expect(second.comments).toHaveLength(2);
      expect(second.nextCursor).toBeNull();
    });

    it('refuses with 422 a cursor that was edited, made up, empty, too long, or issued for another article', async () => {
      const { nextCursor } = await comments('?limit=2');
      const [payload, mac] = (nextCursor as string).split('.');
      const position = JSON.parse(Buffer.from(payload, 'base64url').toString()) as [string, number];
      const forged = `${Buffer.from(JSON.stringify([position[0], position[1] + 1])).toString('base64url')}.${mac}`;
      const otherArticle = (await ctx.api.createArticle(author.token)).slug;
      await comment(author.token, otherArticle, 'one');
      await comment(author.token, otherArticle, 'two');
      const otherCursor = (await comments('?limit=1', otherArticle)).nextCursor as string;
      for (const cursor of [forged, `${payload}.${'A'.repeat(22)}`, 'not-a-cursor', '', 'x'.repeat(500), otherCursor, `${nextCursor}x`]) {
        const response = await ctx.api.call('get', `/api/articles/${slug}/comments?limit=2&cursor=${encodeURIComponent(cursor)}`).expect(422);
        expectErrorShape(response.body);
      }
      // and the cursor of the other article still works there
      expect((await comments(`?limit=1&cursor=${encodeURIComponent(otherCursor)}`, otherArticle)).comments).toHaveLength(1);
    });

    it('refuses an invalid limit with 422', async () => {
      for (const limit of ['0', '101', '-1', 'ten']) {
        expectErrorShape((await ctx.api.call('get', `/api/articles/${slug}/comments?limit=${limit}`).expect(422)).body);
      }
    });

    it('pages for a signed-in viewer too (following is per viewer)', async () => {
      const viewer = await ctx.api.register();
      await ctx.api.follow(viewer.token, author.username);
      const body = (await ctx.api.call('get', `/api/articles/${slug}/comments?limit=3`, { token: viewer.token }).expect(200)).body;
      expect(body.comments.every((c: { author: { following: boolean } }) => c.author.following)).toBe(true);
      expect(typeof body.nextCursor).toBe('string');
    });
  });
});
