import { unique } from '@app/testing';
import { Client } from 'pg';
import { useApiTestApp, waitForCacheFills } from './support/api-test-app';

/**
 * Counts the SQL statements each hot endpoint runs, with a cold cache and a
 * warm one. A page of 20 must cost what a page of 2 costs (no N+1), and the
 * totals stay within the budget the benchmarks rely on.
 */
describe('SQL statements per request on the hot endpoints', () => {
  // Its own Redis key prefix: other suites' writes bump the shared cache generations, which would
  // turn this suite's warm reads cold at random.
  // Pages from offset 10 on count as deep (CACHE_LIST_MAX_OFFSET), so that a deep page can be one
  // of this suite's own authors: a deep page of the shared list shifts whenever another suite
  // publishes, and a view that moved onto it is a cache miss at random.
  // Revocations read from PostgreSQL once a minute: the periodic read would otherwise land in a count at random
  // (checking a token itself runs no statement: the list is in memory, docs/security.md).
  const ctx = useApiTestApp(() => ({
    REDIS_KEY_PREFIX: `${process.env.REDIS_KEY_PREFIX}${unique('qc-')}:`,
    CACHE_LIST_MAX_OFFSET: '10',
    TOKEN_REVOCATION_POLL_MS: '60000',
  }));
  let statements = 0;
  // Counted at the driver: every statement sent to PostgreSQL, through TypeORM or prepared (@app/database Sql).
  // eslint-disable-next-line @typescript-eslint/unbound-method -- kept to be called with apply(this) and restored
  const original = Client.prototype.query;

  beforeAll(() => {
    Client.prototype.query = function countedQuery(this: Client, ...args: unknown[]) {
      statements++;
      return (original as (...values: unknown[]) => unknown).apply(this, args);
    } as typeof Client.prototype.query;
  });
  afterAll(() => {
    Client.prototype.query = original;
  });

  async function count(path: string, token?: string): Promise<number> {
    const before = statements;
    await ctx.api.call('get', path, { token }).expect(200);
    return statements - before;
  }

  /** Statements of a cold-cache request (a write to articles/users first invalidates it) and of the warm one after it. */
  async function coldAndWarm(path: string, token?: string): Promise<[number, number]> {
    await ctx.api.call('put', '/api/user', { token: writer.token, body: { user: { bio: unique('bio ') } } }).expect(200);
    await ctx.api.createArticle(writer.token);
    const cold = await count(path, token);
    await waitForCacheFills(ctx);
    return [cold, await count(path, token)];
  }

  let writer: Awaited<ReturnType<typeof ctx.api.register>>;
  let reader: Awaited<ReturnType<typeof ctx.api.register>>;
  let author: Awaited<ReturnType<typeof ctx.api.register>>;
  let slug: string;
  const tag = unique('qc');

  beforeAll(async () => {
    [writer, reader, author] = [await ctx.api.register(), await ctx.api.register(), await ctx.api.register()];
    for (let i = 0; i < 25; i++) {
      const other = i % 5 === 0 ? await ctx.api.register() : author;
      slug = (await ctx.api.createArticle(other === author ? author.token : other.token, { tagList: [tag, `${tag}-${i % 3}`] })).slug;
      await ctx.api.call('post', `/api/articles/${slug}/favorite`, { token: reader.token }).expect(200);
      if (other !== author) await ctx.api.follow(reader.token, other.username);
    }
    await ctx.api.follow(reader.token, author.username);
    for (let i = 0; i < 3; i++)
      await ctx.api.call('post', `/api/articles/${slug}/comments`, { token: author.token, body: { comment: { body: `c${i}` } } }).expect(200);
  }, 60_000);

  it('lists articles in a constant number of statements, whatever the page size', async () => {
    for (const token of [undefined, reader.token]) {
      for (const filter of [`tag=${tag}`, `author=${author.username}`, `favorited=${reader.username}`, `tag=${tag}&author=${author.username}`]) {
        const small = await coldAndWarm(`/api/articles?${filter}&limit=2`, token);
        const large = await coldAndWarm(`/api/articles?${filter}&limit=20`, token);
        expect(large).toEqual(small);
        // cold: the page's ids, the total, the articles' versions with the viewer's part, their views;
        // warm: the versions with the viewer's part only (ids, total and views are cached)
        expect(large).toEqual([4, 1]);
      }
    }
  });

  it('serves the first public list pages from the cache; the viewer overlay is one statement', async () => {
    const [cold, warm] = await coldAndWarm('/api/articles?limit=20');
    expect([cold, warm]).toEqual([3, 0]);
    const [coldAuthenticated, warmAuthenticated] = await coldAndWarm('/api/articles?limit=20', reader.token);
    expect([coldAuthenticated, warmAuthenticated]).toEqual([4, 1]); // + favorited/following for the whole page in one statement
    // Deeper pages read their references (with the total and the views from the cache): one statement when warm.
    expect((await coldAndWarm(`/api/articles?author=${author.username}&limit=5&offset=10`))[1]).toBe(1);
  });

  it('builds the feed in a constant number of statements', async () => {
    const small = await coldAndWarm('/api/articles/feed?limit=2', reader.token);
    const large = await coldAndWarm('/api/articles/feed?limit=20', reader.token);
    expect(large).toEqual(small);
    expect(large).toEqual([4, 1]); // as for the filtered lists: ids and total (cached per reader), versions, views
  });

  it('answers single articles, profiles and tags from the cache when warm', async () => {
    const expected: [string, number][] = [
      [`/api/articles/${slug}`, 1], // favorited/following of the viewer
      [`/api/profiles/${author.username}`, 1], // following of the viewer
      ['/api/tags', 0],
    ];
    for (const [path, viewerStatements] of expected) {
      expect(await coldAndWarm(path)).toEqual([1, 0]);
      expect(await coldAndWarm(path, reader.token)).toEqual([1 + viewerStatements, viewerStatements]);
    }
  });

  it('lists comments in a constant number of statements', async () => {
    expect(await count(`/api/articles/${slug}/comments`, reader.token)).toBe(2); // the article, then its comments with authors
  });

  it('writes an article, a favorite and a comment in two statements each, none in a transaction round trip', async () => {
    const writes = async (send: () => Promise<unknown>) => {
      const before = statements;
      await send();
      return statements - before;
    };
    let created = '';
    // the new tags and the article's id, then the article with its tag links and its event
    expect(
      await writes(async () => {
        created = (await ctx.api.createArticle(writer.token, { tagList: [unique('w'), unique('w'), tag] })).slug;
      }),
    ).toBe(2);
    // the article's id and author, then the favorite with the counter and the event
    expect(await writes(() => ctx.api.call('post', `/api/articles/${created}/favorite`, { token: reader.token }).expect(200))).toBe(2);
    expect(await writes(() => ctx.api.call('delete', `/api/articles/${created}/favorite`, { token: reader.token }).expect(200))).toBe(2);
    // the article's id and author, then the comment with its event
    expect(
      await writes(() => ctx.api.call('post', `/api/articles/${created}/comments`, { token: reader.token, body: { comment: { body: 'hi' } } }).expect(200)),
    ).toBe(2);
  });
});
