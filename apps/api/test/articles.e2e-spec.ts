import { unique } from '@app/testing';
import { expectErrorShape, ISO_MILLIS, useApiTestApp } from './support/api-test-app';

describe('articles', () => {
  const ctx = useApiTestApp();

  describe('POST /api/articles', () => {
    it('answers 201 with the spec shape: sorted tagList, ISO timestamps with ms, author profile', async () => {
      const author = await ctx.api.register();
      const response = await ctx.api
        .call('post', '/api/articles', {
          token: author.token,
          body: {
            article: {
              title: 'How to train your dragon',
              description: 'Ever wonder how?',
              body: 'Very carefully.',
              tagList: ['training', 'dragons', ' dragons '],
            },
          },
        })
        .expect(201);
      const { article } = response.body;
      expect(Object.keys(article)).toEqual([
        'slug',
        'title',
        'description',
        'body',
        'tagList',
        'createdAt',
        'updatedAt',
        'favorited',
        'favoritesCount',
        'author',
      ]);
      expect(article).toMatchObject({
        title: 'How to train your dragon',
        body: 'Very carefully.',
        tagList: ['dragons', 'training'],
        favorited: false,
        favoritesCount: 0,
        author: { username: author.username, bio: null, image: null, following: false },
      });
      expect(article.slug).toMatch(/^how-to-train-your-dragon/);
      expect(article.createdAt).toMatch(ISO_MILLIS);
      expect(article.updatedAt).toMatch(ISO_MILLIS);
    });

    it('gives repeated titles distinct slugs', async () => {
      const author = await ctx.api.register();
      const title = unique('Same title ');
      const first = await ctx.api.createArticle(author.token, { title });
      const second = await ctx.api.createArticle(author.token, { title });
      expect(first.slug).not.toBe(second.slug);
      expect(second.slug.startsWith(first.slug)).toBe(true);
    });

    it('gives racing creations with one title distinct slugs, all 201', async () => {
      const author = await ctx.api.register();
      const title = unique('Racing title ');
      const responses = await Promise.all(
        Array.from({ length: 8 }, () =>
          ctx.api.call('post', '/api/articles', { token: author.token, body: { article: { title, description: 'd', body: 'b', tagList: ['race', 'same'] } } }),
        ),
      );
      expect(responses.map((r) => r.status)).toEqual(Array(8).fill(201));
      expect(new Set(responses.map((r) => r.body.article.slug)).size).toBe(8);
    });

    it.each([
      ['no article', {}],
      ['a blank title', { article: { title: '   ', description: 'd', body: 'b' } }],
      ['a missing body', { article: { title: 't', description: 'd' } }],
      ['a tagList that is a string', { article: { title: 't', description: 'd', body: 'b', tagList: 'dragons' } }],
      ['a tag that is a number', { article: { title: 't', description: 'd', body: 'b', tagList: [1] } }],
      ['too many tags', { article: { title: 't', description: 'd', body: 'b', tagList: Array.from({ length: 21 }, (_, i) => `t${i}`) } }],
      ['a huge title', { article: { title: 'x'.repeat(5000), description: 'd', body: 'b' } }],
    ])('answers 422 for %s', async (_label, body) => {
      const author = await ctx.api.register();
      expectErrorShape((await ctx.api.call('post', '/api/articles', { token: author.token, body }).expect(422)).body);
    });

    it('answers 401 without a token', async () => {
      await ctx.api.call('post', '/api/articles', { body: { article: { title: 't', description: 'd', body: 'b' } } }).expect(401);
    });
  });

  describe('GET /api/articles', () => {
    it('lists newest first, without body, with articlesCount as the total and limit/offset paging', async () => {
      const author = await ctx.api.register();
      const created = [];
      for (let i = 0; i < 5; i++) created.push(await ctx.api.createArticle(author.token, { title: `Paging ${i}` }));
      const page = await ctx.api.call('get', `/api/articles?author=${author.username}&limit=2&offset=1`).expect(200);
      expect(page.body.articlesCount).toBe(5);
      expect(page.body.articles.map((a: { slug: string }) => a.slug)).toEqual([created[3].slug, created[2].slug]);
      for (const article of page.body.articles) {
        expect(article).not.toHaveProperty('body');
        expect(article.createdAt).toMatch(ISO_MILLIS);
      }
      const all = await ctx.api.call('get', `/api/articles?author=${author.username}`).expect(200);
      expect(all.body.articles).toHaveLength(5);
    });

    it('defaults to 20 items', async () => {
      const author = await ctx.api.register();
      for (let i = 0; i < 21; i++) await ctx.api.createArticle(author.token);
      const response = await ctx.api.call('get', `/api/articles?author=${author.username}`).expect(200);
      expect(response.body.articles).toHaveLength(20);
      expect(response.body.articlesCount).toBe(21);
    });

    it('filters by tag, author (any case) and favorited, combined with AND', async () => {
      const [author, fan] = [await ctx.api.register(), await ctx.api.register()];
      const tag = unique('tag');
      const tagged = await ctx.api.createArticle(author.token, { tagList: [tag] });
      const other = await ctx.api.createArticle(author.token);
      await ctx.api.call('post', `/api/articles/${other.slug}/favorite`, { token: fan.token }).expect(200);

      const byTag = await ctx.api.call('get', `/api/articles?tag=${tag}`).expect(200);
      expect(byTag.body).toMatchObject({ articlesCount: 1, articles: [{ slug: tagged.slug }] });
      const byAuthor = await ctx.api.call('get', `/api/articles?author=${author.username.toUpperCase()}`).expect(200);
      expect(byAuthor.body.articlesCount).toBe(2);
      const byFan = await ctx.api.call('get', `/api/articles?favorited=${fan.username}`).expect(200);
      expect(byFan.body).toMatchObject({ articlesCount: 1, articles: [{ slug: other.slug }] });
      const both = await ctx.api.call('get', `/api/articles?favorited=${fan.username}&tag=${tag}`).expect(200);
      expect(both.body).toEqual({ articles: [], articlesCount: 0, nextCursor: null });
    });

    it.each(['author', 'favorited', 'tag'])('answers 200 with an empty list for an unknown %s', async (filter) => {
      const response = await ctx.api.call('get', `/api/articles?${filter}=${unique('nobody')}`).expect(200);
      expect(response.body).toEqual({ articles: [], articlesCount: 0, nextCursor: null });
    });

    it('personalises favorited and following for the viewer', async () => {
      const [author, viewer] = [await ctx.api.register(), await ctx.api.register()];
      const article = await ctx.api.createArticle(author.token);
      await ctx.api.follow(viewer.token, author.username);
      await ctx.api.call('post', `/api/articles/${article.slug}/favorite`, { token: viewer.token }).expect(200);
      const seen = await ctx.api.call('get', `/api/articles?author=${author.username}`, { token: viewer.token }).expect(200);
      expect(seen.body.articles[0]).toMatchObject({ favorited: true, favoritesCount: 1, author: { following: true } });
      const anonymous = await ctx.api.call('get', `/api/articles?author=${author.username}`).expect(200);
      expect(anonymous.body.articles[0]).toMatchObject({ favorited: false, favoritesCount: 1, author: { following: false } });
    });

    it.each([
      ['limit=-1'],
      ['limit=0'],
      ['limit=abc'],
      ['limit=101'],
      ['limit=1e3'],
      ['offset=-5'],
      ['offset=99999999999999999999'],
      ['limit=1&limit=2'],
      ['tag=a&tag=b'],
    ])('answers 422 for bad paging or filter values (%s)', async (query) => {
      expectErrorShape((await ctx.api.call('get', `/api/articles?${query}`).expect(422)).body);
    });

    it('treats SQL fragments in filters as plain values', async () => {
      for (const value of ["' OR 1=1 --", "x'); DROP TABLE articles; --", '%', '_', '\\']) {
        const response = await ctx.api.call('get', `/api/articles?author=${encodeURIComponent(value)}&tag=${encodeURIComponent(value)}`).expect(200);
        expect(response.body).toEqual({ articles: [], articlesCount: 0, nextCursor: null });
      }
      await ctx.api.call('get', '/api/articles?limit=1').expect(200);
    });
  });

  describe('GET /api/articles/feed', () => {
    it('lists articles of followed authors only, newest first, with the total count', async () => {
      const [reader, followed, stranger] = [await ctx.api.register(), await ctx.api.register(), await ctx.api.register()];
      await ctx.api.follow(reader.token, followed.username);
      const first = await ctx.api.createArticle(followed.token);
      await ctx.api.createArticle(stranger.token);
      const second = await ctx.api.createArticle(followed.token);
      const feed = await ctx.api.call('get', '/api/articles/feed', { token: reader.token }).expect(200);
      expect(feed.body.articlesCount).toBe(2);
      expect(feed.body.articles.map((a: { slug: string }) => a.slug)).toEqual([second.slug, first.slug]);
      expect(feed.body.articles[0]).not.toHaveProperty('body');
      expect(feed.body.articles[0].author.following).toBe(true);
    });

    it('is empty (count 0) for a user who follows nobody, and 401 anonymously', async () => {
      const loner = await ctx.api.register();
      expect((await ctx.api.call('get', '/api/articles/feed', { token: loner.token }).expect(200)).body).toEqual({
        articles: [],
        articlesCount: 0,
        nextCursor: null,
      });
      await ctx.api.call('get', '/api/articles/feed').expect(401);
    });
  });

  describe('GET /api/articles/:slug', () => {
    it('returns the article with its body; 404 in the error shape for an unknown slug', async () => {
      const author = await ctx.api.register();
      const article = await ctx.api.createArticle(author.token, { body: 'Full text' });
      const response = await ctx.api.call('get', `/api/articles/${article.slug}`).expect(200);
      expect(response.body.article).toMatchObject({ slug: article.slug, body: 'Full text' });
      expectErrorShape((await ctx.api.call('get', `/api/articles/${unique('missing-')}`).expect(404)).body);
    });
  });

  describe('PUT /api/articles/:slug', () => {
    it('updates fields; a new title gives a new slug; updatedAt moves', async () => {
      const author = await ctx.api.register();
      const article = await ctx.api.createArticle(author.token, { tagList: ['keep'] });
      const title = unique('Brand new title ');
      const response = await ctx.api
        .call('put', `/api/articles/${article.slug}`, { token: author.token, body: { article: { title, body: 'With two hands' } } })
        .expect(200);
      expect(response.body.article).toMatchObject({ title, body: 'With two hands', tagList: ['keep'] });
      expect(response.body.article.slug).toMatch(/^brand-new-title-/);
      expect(response.body.article.updatedAt >= article.updatedAt).toBe(true);
      await ctx.api.call('get', `/api/articles/${article.slug}`).expect(404);
      await ctx.api.call('get', `/api/articles/${response.body.article.slug}`).expect(200);
    });

    it('answers 403 to another user, 404 for an unknown slug, 422 for an empty update or a null field, 401 anonymously', async () => {
      const [author, other] = [await ctx.api.register(), await ctx.api.register()];
      const article = await ctx.api.createArticle(author.token);
      expectErrorShape(
        (await ctx.api.call('put', `/api/articles/${article.slug}`, { token: other.token, body: { article: { body: 'mine now' } } }).expect(403)).body,
      );
      await ctx.api.call('put', `/api/articles/${unique('nope-')}`, { token: author.token, body: { article: { body: 'x' } } }).expect(404);
      await ctx.api.call('put', `/api/articles/${article.slug}`, { token: author.token, body: { article: {} } }).expect(422);
      for (const field of ['title', 'description', 'body']) {
        expectErrorShape(
          (await ctx.api.call('put', `/api/articles/${article.slug}`, { token: author.token, body: { article: { [field]: null } } }).expect(422)).body,
        );
      }
      await ctx.api.call('put', `/api/articles/${article.slug}`, { body: { article: { body: 'x' } } }).expect(401);
      expect((await ctx.api.call('get', `/api/articles/${article.slug}`).expect(200)).body.article.body).toBe('The body');
    });
  });

  describe('DELETE /api/articles/:slug', () => {
    it('answers 204 and removes the article with its comments, favorites and tag links', async () => {
      const [author, fan] = [await ctx.api.register(), await ctx.api.register()];
      const article = await ctx.api.createArticle(author.token, { tagList: [unique('gone')] });
      await ctx.api.call('post', `/api/articles/${article.slug}/favorite`, { token: fan.token }).expect(200);
      await ctx.api.call('post', `/api/articles/${article.slug}/comments`, { token: fan.token, body: { comment: { body: 'nice' } } }).expect(200);
      const [{ id }] = await ctx.db.query('SELECT id FROM articles WHERE slug = $1', [article.slug]);

      const response = await ctx.api.call('delete', `/api/articles/${article.slug}`, { token: author.token }).expect(204);
      expect(response.text).toBe('');
      await ctx.api.call('get', `/api/articles/${article.slug}`).expect(404);
      const [left] = await ctx.db.query(
        `SELECT (SELECT count(*) FROM comments WHERE article_id = $1)::int AS comments,
                (SELECT count(*) FROM favorites WHERE article_id = $1)::int AS favorites,
                (SELECT count(*) FROM article_tags WHERE article_id = $1)::int AS tags`,
        [id],
      );
      expect(left).toEqual({ comments: 0, favorites: 0, tags: 0 });
    });

    it('answers 403 to another user (the article stays) and 404 for an unknown slug', async () => {
      const [author, other] = [await ctx.api.register(), await ctx.api.register()];
      const article = await ctx.api.createArticle(author.token);
      expectErrorShape((await ctx.api.call('delete', `/api/articles/${article.slug}`, { token: other.token }).expect(403)).body);
      await ctx.api.call('get', `/api/articles/${article.slug}`).expect(200);
      await ctx.api.call('delete', `/api/articles/${unique('nope-')}`, { token: author.token }).expect(404);
    });
  });

  describe('favorites', () => {
    it('is idempotent: favoriting twice counts once; unfavoriting twice leaves zero', async () => {
      const [author, fan] = [await ctx.api.register(), await ctx.api.register()];
      const article = await ctx.api.createArticle(author.token);
      await ctx.api.call('post', `/api/articles/${article.slug}/favorite`, { token: fan.token }).expect(200);
      const again = await ctx.api.call('post', `/api/articles/${article.slug}/favorite`, { token: fan.token }).expect(200);
      expect(again.body.article).toMatchObject({ favorited: true, favoritesCount: 1 });
      await ctx.api.call('delete', `/api/articles/${article.slug}/favorite`, { token: fan.token }).expect(200);
      const twice = await ctx.api.call('delete', `/api/articles/${article.slug}/favorite`, { token: fan.token }).expect(200);
      expect(twice.body.article).toMatchObject({ favorited: false, favoritesCount: 0 });
    });

    it('keeps an exact count under parallel clicks from many users, each clicking several times', async () => {
      const author = await ctx.api.register();
      const article = await ctx.api.createArticle(author.token);
      const fans = await Promise.all(Array.from({ length: 12 }, () => ctx.api.register()));
      const clicks = fans.flatMap((fan) =>
        Array.from({ length: 3 }, () => ctx.api.call('post', `/api/articles/${article.slug}/favorite`, { token: fan.token })),
      );
      expect((await Promise.all(clicks)).every((response) => response.status === 200)).toBe(true);
      const [row] = await ctx.db.query(
        'SELECT a.favorites_count, (SELECT count(*)::int FROM favorites f WHERE f.article_id = a.id) AS rows FROM articles a WHERE slug = $1',
        [article.slug],
      );
      expect(row).toEqual({ favorites_count: 12, rows: 12 });
      const unclicks = fans
        .slice(0, 5)
        .flatMap((fan) => Array.from({ length: 2 }, () => ctx.api.call('delete', `/api/articles/${article.slug}/favorite`, { token: fan.token })));
      await Promise.all(unclicks);
      expect((await ctx.api.call('get', `/api/articles/${article.slug}`).expect(200)).body.article.favoritesCount).toBe(7);
    });

    it('answers 404 for an unknown article and 401 anonymously', async () => {
      const fan = await ctx.api.register();
      await ctx.api.call('post', `/api/articles/${unique('nope-')}/favorite`, { token: fan.token }).expect(404);
      await ctx.api.call('post', `/api/articles/${unique('nope-')}/favorite`).expect(401);
    });
  });
});
