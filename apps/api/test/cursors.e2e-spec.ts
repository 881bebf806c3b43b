import { unique, walkPages } from '@app/testing';
import { expectErrorShape, useApiTestApp } from './support/api-test-app';

/**
 * Cursor paging (docs/api.md, "Lists"): walking the cursors returns every item exactly once, in
 * the list's order, also while items are added; a cursor is opaque and bound to its list. Here:
 * article lists (every filter, search, the feed) and comments. Notifications and webhook deliveries, which the worker writes: background-jobs.e2e-spec.ts.
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

  describe('article lists and the feed', () => {
    const tag = unique('walk');
    const word = unique('cursorword').replace(/[^a-z0-9]/gi, '');
    let writer: Awaited<ReturnType<typeof ctx.api.register>>;
    let reader: Awaited<ReturnType<typeof ctx.api.register>>;
    const list = async (path: string, token?: string) => (await ctx.api.call('get', path, { token }).expect(200)).body;
    const slugsOf = (body: { articles: { slug: string }[] }) => body.articles.map((article) => article.slug);
    const withCursor = (path: string, cursor: string | undefined) =>
      `${path}${path.includes('?') ? '&' : '?'}limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;

    beforeAll(async () => {
      [writer, reader] = [await ctx.api.register(), await ctx.api.register()];
      await ctx.api.follow(reader.token, writer.username);
      // Five at once (some share a millisecond), then seven one by one; the word in some titles, in the others' bodies only.
      const create = (i: number) =>
        ctx.api.createArticle(writer.token, {
          title: i % 3 === 0 ? `About ${word} ${i}` : `Article ${i}`,
          body: `The ${word} body ${i}`,
          tagList: [tag],
        });
      const made = await Promise.all([0, 1, 2, 3, 4].map(create));
      for (let i = 5; i < 12; i++) made.push(await create(i));
      for (const article of made.slice(0, 8)) await ctx.api.call('post', `/api/articles/${article.slug}/favorite`, { token: reader.token }).expect(200);
    });

    it.each([
      ['by tag', () => `/api/articles?tag=${tag}`, 12],
      ['by author', () => `/api/articles?author=${writer.username}`, 12],
      ['favorited', () => `/api/articles?favorited=${reader.username}`, 8],
      ['by tag and author', () => `/api/articles?tag=${tag}&author=${writer.username}`, 12],
      ['a search (title matches first, then the others)', () => `/api/articles?q=${word}`, 12],
      ['a search with a tag', () => `/api/articles?q=${word}&tag=${tag}`, 12],
    ])('%s: the cursors walk every article once, in the order of the whole list, while new ones are published', async (_name, path, count) => {
      const whole = slugsOf(await list(`${path()}${path().includes('?') ? '&' : '?'}limit=100`, reader.token));
      expect(whole.length).toBeGreaterThanOrEqual(count); // earlier walks published more
      const pages = await walkPages(
        async (cursor) => {
          const body = await list(withCursor(path(), cursor), reader.token);
          return { items: slugsOf(body), nextCursor: body.nextCursor };
        },
        async () => void (await ctx.api.createArticle(writer.token, { title: `Late ${word}`, body: word, tagList: [tag] })),
      );
      expect(pages.flat()).toEqual(whole);
    });

    it('the feed: every article of the followed authors once, while they publish', async () => {
      const whole = slugsOf(await list('/api/articles/feed?limit=100', reader.token));
      const pages = await walkPages(
        async (cursor) => {
          const body = await list(withCursor('/api/articles/feed', cursor), reader.token);
          return { items: slugsOf(body), nextCursor: body.nextCursor };
        },
        async () => void (await ctx.api.createArticle(writer.token, { tagList: [tag] })),
      );
      expect(pages.flat()).toEqual(whole);
    });

    it('the whole list, which other suites write to meanwhile: no article twice, newest first, none of ours missed', async () => {
      const ours = slugsOf(await list(`/api/articles?author=${writer.username}&limit=100`));
      const seen: { slug: string; createdAt: string }[] = [];
      await walkPages(async (cursor) => {
        const body = await list(`/api/articles?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        seen.push(...body.articles);
        return { items: body.articles, nextCursor: body.nextCursor };
      });
      const slugs = seen.map((article) => article.slug);
      expect(new Set(slugs).size).toBe(slugs.length);
      expect(seen.every((article, i) => i === 0 || article.createdAt <= seen[i - 1].createdAt)).toBe(true);
      expect(ours.every((slug) => slugs.includes(slug))).toBe(true);
    });

    it("refuses with 422 a cursor of another list, another reader's feed, an edited one, or one beside an offset", async () => {
      const byTag = (await list(`/api/articles?tag=${tag}&limit=2`)).nextCursor as string;
      const feed = (await list('/api/articles/feed?limit=2', reader.token)).nextCursor as string;
      const other = await ctx.api.register();
      await ctx.api.follow(other.token, writer.username);
      const refused = [
        `/api/articles?author=${writer.username}&cursor=${encodeURIComponent(byTag)}`,
        `/api/articles?cursor=${encodeURIComponent(byTag)}`,
        `/api/articles?q=${word}&cursor=${encodeURIComponent(byTag)}`,
        `/api/articles?tag=${tag}&offset=2&cursor=${encodeURIComponent(byTag)}`,
        `/api/articles?tag=${tag}&cursor=${encodeURIComponent(byTag.replace(/\.(.)/, (_m, c: string) => `.${c === 'A' ? 'B' : 'A'}`))}`,
        `/api/articles?tag=${tag}&cursor=${encodeURIComponent(byTag.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')))}`,
      ];
      for (const path of refused) expectErrorShape((await ctx.api.call('get', path).expect(422)).body);
      expectErrorShape((await ctx.api.call('get', `/api/articles/feed?cursor=${encodeURIComponent(feed)}`, { token: other.token }).expect(422)).body);
      // each still works where it belongs
      await ctx.api.call('get', `/api/articles?tag=${tag}&cursor=${encodeURIComponent(byTag)}`).expect(200);
      await ctx.api.call('get', `/api/articles/feed?cursor=${encodeURIComponent(feed)}`, { token: reader.token }).expect(200);
    });

    it('answers nextCursor null on the last page, also by offset', async () => {
      const last = await list(`/api/articles?author=${reader.username}`);
      expect(last).toEqual({ articles: [], articlesCount: 0, nextCursor: null });
      const byOffset = await list(`/api/articles?tag=${tag}&limit=5&offset=0`);
      expect(typeof byOffset.nextCursor).toBe('string');
    });
  });
});
