import { sleep, TestRedis, unique, useOwnDatabase } from '@app/testing';
import { useApiTestApp, waitForCacheFills } from './support/api-test-app';

/**
 * Cache hits are proven by changing a row behind the API's back (direct SQL,
 * which does not invalidate): a cached read still shows the old value. An API
 * write must then make the new value visible at once. The suite has its own
 * Redis (one server; a Cluster in npm test's Cluster pass) and its own
 * database, so no other suite's writes move its pages.
 */
describe('cache', () => {
  jest.setTimeout(30_000);
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await TestRedis.start();
  });
  afterAll(async () => {
    await redis.stop();
  });
  const database = useOwnDatabase();
  const prefix = `cache-test:${unique('')}:`;
  // The suite asserts what is cached, not how fast Redis is: a generous call timeout, so that a busy
  // machine (suites run in parallel) does not open the circuit and bypass the cache mid-test.
  const env = () => ({ ...redis.env(), REDIS_KEY_PREFIX: prefix, ...database.env(), CACHE_TIMEOUT_MS: '500' });
  // The instances in a block of their own: they stop (its afterAll) before the Redis and the
  // database above them go away (afterAll hooks of one block run in the order they were declared).
  describe('two API instances', () => {
    const ctx = useApiTestApp(env);
    // A second API instance on the same Redis and database, as behind a load balancer.
    const other = useApiTestApp(env);

    it("answers warm reads from the instance's memory, without a Redis round trip each", async () => {
      const author = await ctx.api.register();
      const article = await ctx.api.createArticle(author.token);
      await ctx.api.call('get', `/api/articles/${article.slug}`).expect(200);
      await ctx.api.call('get', '/api/tags').expect(200);
      await waitForCacheFills(ctx);
      const before = await redis.commandsProcessed();
      for (let i = 0; i < 20; i++) {
        await ctx.api.call('get', `/api/articles/${article.slug}`).expect(200);
        await ctx.api.call('get', '/api/tags').expect(200);
      }
      // 40 reads; what Redis saw meanwhile is the instances' periodic token reads and batched
      // rate-limit counts (with a round trip per read it would be 40 or more), and the probe's own INFO.
      expect((await redis.commandsProcessed()) - before).toBeLessThan(20);
    });

    it("shows another instance's write at once on an instance that holds the entry in memory", async () => {
      const author = await ctx.api.register();
      const article = await ctx.api.createArticle(author.token);
      await other.api.call('get', `/api/articles/${article.slug}`).expect(200);
      await waitForCacheFills(other);
      await ctx.db.query('UPDATE articles SET description = $2 WHERE slug = $1', [article.slug, 'changed behind the cache']);
      expect((await other.api.call('get', `/api/articles/${article.slug}`).expect(200)).body.article.description).toBe('About it');

      // Written through the first instance, read at once through the second.
      await ctx.api.call('put', `/api/articles/${article.slug}`, { token: author.token, body: { article: { body: 'edited elsewhere' } } }).expect(200);
      expect((await other.api.call('get', `/api/articles/${article.slug}`).expect(200)).body.article).toMatchObject({
        body: 'edited elsewhere',
        description: 'changed behind the cache',
      });
      // And the list pages and tags: created on one, listed on the other.
      await other.api.call('get', '/api/articles?limit=3').expect(200);
      const tag = unique('elsewhere');
      const created = await ctx.api.createArticle(author.token, { tagList: [tag] });
      expect((await other.api.call('get', '/api/articles?limit=3').expect(200)).body.articles[0].slug).toBe(created.slug);
      expect((await other.api.call('get', '/api/tags').expect(200)).body.tags).toContain(tag);
    });

    it('keeps cached list pages (by tag, author, favorited, feed) right through every write that changes them', async () => {
      const [author, reader] = [await ctx.api.register(), await ctx.api.register()];
      const tag = unique('listed');
      const slugsOf = async (instance: typeof ctx, path: string, token?: string) => {
        const body = (await instance.api.call('get', path, { token }).expect(200)).body as {
          articles: { slug: string; favoritesCount: number }[];
          articlesCount: number;
        };
        return { slugs: body.articles.map((article) => article.slug), count: body.articlesCount, articles: body.articles };
      };
      const first = await ctx.api.createArticle(author.token, { tagList: [tag] });
      // read (and so cached) on the second instance, written through the first, read again on the second
      expect((await slugsOf(other, `/api/articles?tag=${tag}`)).slugs).toEqual([first.slug]);
      const second = await ctx.api.createArticle(author.token, { tagList: [tag] });
      expect(await slugsOf(other, `/api/articles?tag=${tag}`)).toMatchObject({ slugs: [second.slug, first.slug], count: 2 });

      // a favorite changes the count shown in a cached page, and the favorited list
      expect((await slugsOf(other, `/api/articles?favorited=${reader.username}`)).slugs).toEqual([]);
      await ctx.api.call('post', `/api/articles/${first.slug}/favorite`, { token: reader.token }).expect(200);
      expect((await slugsOf(other, `/api/articles?tag=${tag}`)).articles[1].favoritesCount).toBe(1);
      expect((await slugsOf(other, `/api/articles?favorited=${reader.username}`)).slugs).toEqual([first.slug]);
      await ctx.api.call('delete', `/api/articles/${first.slug}/favorite`, { token: reader.token }).expect(200);
      expect(await slugsOf(other, `/api/articles?favorited=${reader.username}`)).toMatchObject({ slugs: [], count: 0 });

      // following and unfollowing change the feed
      expect((await slugsOf(other, '/api/articles/feed', reader.token)).slugs).toEqual([]);
      await ctx.api.follow(reader.token, author.username);
      expect(await slugsOf(other, '/api/articles/feed', reader.token)).toMatchObject({ slugs: [second.slug, first.slug], count: 2 });
      await ctx.api.call('delete', `/api/profiles/${author.username}/follow`, { token: reader.token }).expect(200);
      expect(await slugsOf(other, '/api/articles/feed', reader.token)).toMatchObject({ slugs: [], count: 0 });

      // retagging and deleting move articles out of a tag; a rename moves the author's articles to the new name
      await ctx.api.call('put', `/api/articles/${second.slug}`, { token: author.token, body: { article: { tagList: [unique('elsewhere')] } } }).expect(200);
      expect(await slugsOf(other, `/api/articles?tag=${tag}`)).toMatchObject({ slugs: [first.slug], count: 1 });
      expect((await slugsOf(other, `/api/articles?author=${author.username}`)).count).toBe(2);
      const renamed = unique('renamed');
      await ctx.api.call('put', '/api/user', { token: author.token, body: { user: { username: renamed } } }).expect(200);
      expect((await slugsOf(other, `/api/articles?author=${renamed}`)).count).toBe(2);
      expect((await slugsOf(other, `/api/articles?author=${author.username}`)).count).toBe(0);
      await ctx.api.call('delete', `/api/articles/${first.slug}`, { token: author.token }).expect(204);
      expect(await slugsOf(other, `/api/articles?tag=${tag}`)).toMatchObject({ slugs: [], count: 0 });
    });

    it('serves a single article from the cache until an API write changes it', async () => {
      const [author, fan] = [await ctx.api.register(), await ctx.api.register()];
      const article = await ctx.api.createArticle(author.token, { title: unique('Cached ') });
      await ctx.api.call('get', `/api/articles/${article.slug}`).expect(200);
      await waitForCacheFills(ctx);
      await ctx.db.query('UPDATE articles SET description = $2 WHERE slug = $1', [article.slug, 'changed behind the cache']);
      expect((await ctx.api.call('get', `/api/articles/${article.slug}`).expect(200)).body.article.description).toBe('About it');

      // Favoriting is a write through the API: the next read (by anyone) sees it and the current row.
      await ctx.api.call('post', `/api/articles/${article.slug}/favorite`, { token: fan.token }).expect(200);
      const after = (await ctx.api.call('get', `/api/articles/${article.slug}`).expect(200)).body.article;
      expect(after).toMatchObject({ favoritesCount: 1, description: 'changed behind the cache' });
    });

    it("never serves one viewer's favorited/following to another (shared part cached, viewer part overlaid)", async () => {
      const [author, fan, stranger] = [await ctx.api.register(), await ctx.api.register(), await ctx.api.register()];
      const article = await ctx.api.createArticle(author.token);
      await ctx.api.follow(fan.token, author.username);
      await ctx.api.call('post', `/api/articles/${article.slug}/favorite`, { token: fan.token }).expect(200);

      for (let round = 0; round < 2; round++) {
        const asFan = (await ctx.api.call('get', `/api/articles/${article.slug}`, { token: fan.token }).expect(200)).body.article;
        const asStranger = (await ctx.api.call('get', `/api/articles/${article.slug}`, { token: stranger.token }).expect(200)).body.article;
        const anonymous = (await ctx.api.call('get', `/api/articles/${article.slug}`).expect(200)).body.article;
        expect(asFan).toMatchObject({ favorited: true, author: { following: true } });
        expect(asStranger).toMatchObject({ favorited: false, author: { following: false } });
        expect(anonymous).toMatchObject({ favorited: false, favoritesCount: 1, author: { following: false } });
      }

      // The list page is cached too, with the same overlay.
      const fanPage = (await ctx.api.call('get', '/api/articles?limit=50', { token: fan.token }).expect(200)).body.articles;
      const strangerPage = (await ctx.api.call('get', '/api/articles?limit=50', { token: stranger.token }).expect(200)).body.articles;
      expect(fanPage.find((a: { slug: string }) => a.slug === article.slug)).toMatchObject({ favorited: true, author: { following: true } });
      expect(strangerPage.find((a: { slug: string }) => a.slug === article.slug)).toMatchObject({ favorited: false, author: { following: false } });
    });

    it('caches the first list pages and invalidates them when an article is created', async () => {
      const author = await ctx.api.register();
      const first = await ctx.api.createArticle(author.token);
      const page = (await ctx.api.call('get', '/api/articles?limit=5').expect(200)).body;
      expect(page.articles[0].slug).toBe(first.slug);
      await waitForCacheFills(ctx);
      await ctx.db.query('UPDATE articles SET title = $2 WHERE slug = $1', [first.slug, 'stale on purpose']);
      expect((await ctx.api.call('get', '/api/articles?limit=5').expect(200)).body.articles[0].title).toBe(first.title);

      const second = await ctx.api.createArticle(author.token);
      const fresh = (await ctx.api.call('get', '/api/articles?limit=5').expect(200)).body;
      expect(fresh.articles[0].slug).toBe(second.slug);
      expect(fresh.articlesCount).toBe(page.articlesCount + 1);
      expect(fresh.articles[1].title).toBe('stale on purpose');
    });

    it('caches profiles and tags, and invalidates them on user updates and article writes', async () => {
      const user = await ctx.api.register();
      await ctx.api.call('get', `/api/profiles/${user.username}`).expect(200);
      await waitForCacheFills(ctx);
      await ctx.db.query('UPDATE users SET bio = $2 WHERE username = $1', [user.username, 'behind the cache']);
      expect((await ctx.api.call('get', `/api/profiles/${user.username}`).expect(200)).body.profile.bio).toBeNull();
      await ctx.api.call('put', '/api/user', { token: user.token, body: { user: { image: 'https://example.com/me.png' } } }).expect(200);
      expect((await ctx.api.call('get', `/api/profiles/${user.username}`).expect(200)).body.profile).toMatchObject({
        bio: 'behind the cache',
        image: 'https://example.com/me.png',
      });

      const tag = unique('cachedtag');
      await ctx.api.call('get', '/api/tags').expect(200);
      await ctx.api.createArticle(user.token, { tagList: [tag] });
      expect((await ctx.api.call('get', '/api/tags').expect(200)).body.tags).toContain(tag);
    });

    it('keeps answering from PostgreSQL, within a bounded time, while Redis is down, and serves nothing stale after', async () => {
      const author = await ctx.api.register();
      const article = await ctx.api.createArticle(author.token);
      await ctx.api.call('get', `/api/articles/${article.slug}`).expect(200);
      await waitForCacheFills(ctx);

      await redis.crash();
      try {
        const started = Date.now();
        for (let i = 0; i < 20; i++) {
          await ctx.api.call('get', `/api/articles/${article.slug}`).expect(200);
          await ctx.api.call('get', '/api/articles?limit=3').expect(200);
          await ctx.api.call('get', '/api/tags').expect(200);
          await ctx.api.call('get', `/api/profiles/${author.username}`).expect(200);
        }
        // 80 reads: a hung cache would take seconds each; the bound is CACHE_TIMEOUT_MS once per circuit window.
        expect(Date.now() - started).toBeLessThan(8000);
        // Writes during the outage succeed, and their effect is visible at once (reads bypass the cache).
        await ctx.api
          .call('put', `/api/articles/${article.slug}`, { token: author.token, body: { article: { body: 'written during the outage' } } })
          .expect(200);
        expect((await ctx.api.call('get', `/api/articles/${article.slug}`).expect(200)).body.article.body).toBe('written during the outage');
      } finally {
        await redis.resume();
      }
      // Redis came back with its data, including the entry cached before the outage; the write
      // could not invalidate it then, so the API must not serve it now.
      await sleep(1200);
      expect((await ctx.api.call('get', `/api/articles/${article.slug}`).expect(200)).body.article.body).toBe('written during the outage');
    });
  });
});
