import { unique } from '@app/testing';
import { expectErrorShape, useApiTestApp } from './support/api-test-app';

/** A word nobody else's article holds (the suites share the run's database): letters only, so no stemmer changes it. */
const marker = () =>
  unique('')
    .replace(/\d/g, (digit) => 'abcdefghij'[Number(digit)])
    .padStart(10, 'q');

describe('search: GET /api/articles?q=', () => {
  const ctx = useApiTestApp();

  const search = async (q: string, extra: Record<string, string | number> = {}, token?: string) => {
    const query = new URLSearchParams({ q, ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, String(v)])) });
    return (await ctx.api.call('get', `/api/articles?${query.toString()}`, { token }).expect(200)).body as {
      articles: { slug: string; title: string; favorited: boolean; author: { username: string; following: boolean } }[];
      articlesCount: number;
    };
  };
  const slugs = (body: { articles: { slug: string }[] }) => body.articles.map((article) => article.slug);

  it('finds a word in the title, description, body or tags; title matches first, then newest; articlesCount counts them', async () => {
    const word = marker();
    const author = await ctx.api.register();
    const inBody = await ctx.api.createArticle(author.token, { body: `It is about ${word} mostly.` });
    const inTitle = await ctx.api.createArticle(author.token, { title: `A ${word} story` });
    const inTag = await ctx.api.createArticle(author.token, { tagList: [word] });
    const inDescription = await ctx.api.createArticle(author.token, { description: `On ${word}` });
    await ctx.api.createArticle(author.token, { body: 'Nothing to see.' });
    const found = await search(word);
    expect(slugs(found)).toEqual([inTitle.slug, inDescription.slug, inTag.slug, inBody.slug]);
    expect(found.articlesCount).toBe(4);
    expect(found.articles[0]).toMatchObject({ title: `A ${word} story`, author: { username: author.username } });
    expect(found.articles[0]).not.toHaveProperty('body');
  });

  it('needs every word, in any of its forms and any case; the last word also as the start of a longer one', async () => {
    const [first, second] = [marker(), marker()];
    const author = await ctx.api.register();
    const both = await ctx.api.createArticle(author.token, { title: `${first} riders`, body: `Of ${second}.` });
    await ctx.api.createArticle(author.token, { title: `${first} only` });
    expect(slugs(await search(`${first} ${second}`))).toEqual([both.slug]);
    expect(slugs(await search(`${first.toUpperCase()} ${second.slice(0, 6)}`))).toEqual([both.slug]);
    expect((await search(`${second.slice(0, 6)} ${first}`)).articlesCount).toBe(0); // only the last word is being typed
    // English stemming: "rider" finds "riders"; "the" is a stop word and asks for nothing.
    expect(slugs(await search(`the ${first} rider`))).toEqual([both.slug]);
  });

  it('combines with tag, author, favorited and paging', async () => {
    const word = marker();
    const [alice, bob] = [await ctx.api.register(), await ctx.api.register()];
    const tagged = await ctx.api.createArticle(alice.token, { title: `${word} one`, tagList: ['searchable'] });
    const byBob = await ctx.api.createArticle(bob.token, { title: `${word} two` });
    const third = await ctx.api.createArticle(alice.token, { title: `${word} three` });
    await ctx.api.call('post', `/api/articles/${third.slug}/favorite`, { token: bob.token }).expect(200);

    expect(slugs(await search(word, { tag: 'searchable' }))).toEqual([tagged.slug]);
    expect(slugs(await search(word, { author: bob.username }))).toEqual([byBob.slug]);
    expect(slugs(await search(word, { favorited: bob.username }))).toEqual([third.slug]);
    const page = await search(word, { limit: 2, offset: 1 });
    expect(slugs(page)).toEqual([byBob.slug, tagged.slug]);
    expect(page.articlesCount).toBe(3);
  });

  it("shows the viewer's favorites and follows", async () => {
    const word = marker();
    const [author, reader] = [await ctx.api.register(), await ctx.api.register()];
    const article = await ctx.api.createArticle(author.token, { title: word });
    await ctx.api.call('post', `/api/articles/${article.slug}/favorite`, { token: reader.token }).expect(200);
    await ctx.api.call('post', `/api/profiles/${author.username}/follow`, { token: reader.token }).expect(200);
    expect((await search(word, {}, reader.token)).articles[0]).toMatchObject({ favorited: true, author: { following: true } });
    expect((await search(word)).articles[0]).toMatchObject({ favorited: false, author: { following: false } });
  });

  it('follows edits, retagging and deletes at once', async () => {
    const [before, after, tag] = [marker(), marker(), marker()];
    const author = await ctx.api.register();
    const article = await ctx.api.createArticle(author.token, { title: `${before} title` });
    // Searched (and cached) before the edit: the edit invalidates it.
    expect(slugs(await search(before))).toEqual([article.slug]);
    expect((await search(after)).articlesCount).toBe(0);
    const updated = (
      await ctx.api
        .call('put', `/api/articles/${article.slug}`, { token: author.token, body: { article: { title: `${after} title`, tagList: [tag] } } })
        .expect(200)
    ).body.article;
    expect((await search(before)).articlesCount).toBe(0);
    expect(slugs(await search(after))).toEqual([updated.slug]);
    expect(slugs(await search(tag))).toEqual([updated.slug]);
    await ctx.api.call('delete', `/api/articles/${updated.slug}`, { token: author.token }).expect(204);
    expect((await search(after)).articlesCount).toBe(0);
  });

  it('takes any text: quotes, operators of the query syntax, SQL and other scripts are only words or separators', async () => {
    const word = marker();
    const author = await ctx.api.register();
    const article = await ctx.api.createArticle(author.token, { title: `Драконы ${word}` });
    for (const text of [`'${word}'`, `${word} & | ! ( ) : * <-> \\`, `"${word}":*`, `(${word}) || !!`, `Драконы ${word}`]) {
      expect({ text, found: slugs(await search(text)) }).toEqual({ text, found: [article.slug] });
    }
    // The case of other scripts is folded by the database's character classes: a UTF-8 LC_CTYPE (production images; the local server is C).
    const [{ ctype }] = await ctx.db.query<{ ctype: string }[]>(`SELECT datctype AS ctype FROM pg_database WHERE datname = current_database()`);
    if (/utf-?8/i.test(ctype)) {
      expect(slugs(await search(`${word.toUpperCase()} дракон`))).toEqual([article.slug]);
    }
    // Words like any others: nothing matches all four, and nothing happened to the table.
    expect((await search(`${word}'; DROP TABLE articles; --`)).articlesCount).toBe(0);
    expect(slugs(await search(word))).toEqual([article.slug]);
  });

  it('refuses an empty, wordless, over-long or too many-worded query with 422 in the error shape', async () => {
    for (const q of ['', '   ', '!!! ---', 'a'.repeat(201), Array.from({ length: 17 }, (_, i) => `w${i}`).join(' ')]) {
      const response = await ctx.api.call('get', `/api/articles?q=${encodeURIComponent(q)}`);
      expect({ q: q.slice(0, 20), status: response.status }).toEqual({ q: q.slice(0, 20), status: 422 });
      expectErrorShape(response.body);
    }
    expect((await ctx.api.call('get', '/api/articles?q=a&q=b')).status).toBe(422);
  });
});
