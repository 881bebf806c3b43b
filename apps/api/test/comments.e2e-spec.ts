import { unique } from '@app/testing';
import { expectErrorShape, ISO_MILLIS, useApiTestApp } from './support/api-test-app';

describe('comments', () => {
  const ctx = useApiTestApp();

  it('adds a comment (200 as the spec says), lists newest first, deletes with 204', async () => {
    const [author, reader] = [await ctx.api.register(), await ctx.api.register()];
    const article = await ctx.api.createArticle(author.token);
    const first = await ctx.api
      .call('post', `/api/articles/${article.slug}/comments`, { token: reader.token, body: { comment: { body: 'First!' } } })
      .expect(200);
    expect(first.body.comment).toEqual({
      id: expect.any(Number),
      createdAt: expect.stringMatching(ISO_MILLIS),
      updatedAt: expect.stringMatching(ISO_MILLIS),
      body: 'First!',
      author: { username: reader.username, bio: null, image: null, following: false },
    });
    const second = await ctx.api
      .call('post', `/api/articles/${article.slug}/comments`, { token: author.token, body: { comment: { body: 'Thanks' } } })
      .expect(200);

    const list = await ctx.api.call('get', `/api/articles/${article.slug}/comments`).expect(200);
    expect(list.body.comments.map((c: { id: number }) => c.id)).toEqual([second.body.comment.id, first.body.comment.id]);

    await ctx.api.call('delete', `/api/articles/${article.slug}/comments/${first.body.comment.id}`, { token: reader.token }).expect(204);
    const after = await ctx.api.call('get', `/api/articles/${article.slug}/comments`, { token: reader.token }).expect(200);
    expect(after.body.comments).toHaveLength(1);
  });

  it('shows following for the viewer on comment authors', async () => {
    const [author, reader] = [await ctx.api.register(), await ctx.api.register()];
    const article = await ctx.api.createArticle(author.token);
    await ctx.api.call('post', `/api/articles/${article.slug}/comments`, { token: author.token, body: { comment: { body: 'Hi' } } }).expect(200);
    await ctx.api.follow(reader.token, author.username);
    const list = await ctx.api.call('get', `/api/articles/${article.slug}/comments`, { token: reader.token }).expect(200);
    expect(list.body.comments[0].author.following).toBe(true);
  });

  it("refuses deleting another user's comment (403, the comment stays)", async () => {
    const [author, other] = [await ctx.api.register(), await ctx.api.register()];
    const article = await ctx.api.createArticle(author.token);
    const comment = await ctx.api
      .call('post', `/api/articles/${article.slug}/comments`, { token: author.token, body: { comment: { body: 'Mine' } } })
      .expect(200);
    expectErrorShape(
      (await ctx.api.call('delete', `/api/articles/${article.slug}/comments/${comment.body.comment.id}`, { token: other.token }).expect(403)).body,
    );
    expect((await ctx.api.call('get', `/api/articles/${article.slug}/comments`).expect(200)).body.comments).toHaveLength(1);
  });

  it('answers 404 for an unknown article or comment, or a comment of another article; 422 for a non-integer id', async () => {
    const author = await ctx.api.register();
    const [a, b] = [await ctx.api.createArticle(author.token), await ctx.api.createArticle(author.token)];
    const comment = await ctx.api.call('post', `/api/articles/${a.slug}/comments`, { token: author.token, body: { comment: { body: 'On a' } } }).expect(200);
    await ctx.api.call('get', `/api/articles/${unique('nope-')}/comments`).expect(404);
    await ctx.api.call('post', `/api/articles/${unique('nope-')}/comments`, { token: author.token, body: { comment: { body: 'x' } } }).expect(404);
    await ctx.api.call('delete', `/api/articles/${b.slug}/comments/${comment.body.comment.id}`, { token: author.token }).expect(404);
    await ctx.api.call('delete', `/api/articles/${a.slug}/comments/999999999`, { token: author.token }).expect(404);
    await ctx.api.call('delete', `/api/articles/${a.slug}/comments/99999999999999999999`, { token: author.token }).expect(404);
    expectErrorShape((await ctx.api.call('delete', `/api/articles/${a.slug}/comments/abc`, { token: author.token }).expect(422)).body);
    await ctx.api.call('delete', `/api/articles/${a.slug}/comments/-1`, { token: author.token }).expect(422);
  });

  it('validates the comment body (422) and requires a token (401)', async () => {
    const author = await ctx.api.register();
    const article = await ctx.api.createArticle(author.token);
    for (const body of [
      {},
      { comment: {} },
      { comment: { body: '' } },
      { comment: { body: '  ' } },
      { comment: { body: 7 } },
      { comment: { body: 'x'.repeat(20_001) } },
    ]) {
      expectErrorShape((await ctx.api.call('post', `/api/articles/${article.slug}/comments`, { token: author.token, body }).expect(422)).body);
    }
    await ctx.api.call('post', `/api/articles/${article.slug}/comments`, { body: { comment: { body: 'x' } } }).expect(401);
  });
});
