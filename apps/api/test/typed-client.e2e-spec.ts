import { authorization } from '@app/api-client';
import { expectStatus, unique } from '@app/testing';
import { useApiTestApp } from './support/api-test-app';

/**
 * A RealWorld session written only with the typed client (@app/api-client):
 * every path, parameter and body here is checked by the compiler against the
 * committed OpenAPI document, and every answer at run time by the API.
 */
describe('the typed client (@app/api-client) against the running API', () => {
  const ctx = useApiTestApp();

  it('registers, logs in, writes, favorites, comments, follows and reads the feed', async () => {
    const api = ctx.api.typed;
    const username = unique('typed');
    const credentials = { email: `${username}@example.com`, password: 'typed-client-secret' };
    expectStatus(await api.POST('/api/users', { body: { user: { username, ...credentials } } }), 201);
    const { data: login } = expectStatus(await api.POST('/api/users/login', { body: { user: credentials } }), 200);
    const auth = authorization(login.user.token);

    const { data: me } = expectStatus(await api.PUT('/api/user', { body: { user: { bio: 'Types all the way down' } }, headers: auth }), 200);
    expect(me.user).toMatchObject({ username, bio: 'Types all the way down' });

    const tag = unique('typed-tag');
    const { data: created } = expectStatus(
      await api.POST('/api/articles', { body: { article: { title: unique('Typed '), description: 'd', body: 'b', tagList: [tag] } }, headers: auth }),
      201,
    );
    const slug = created.article.slug;
    const { data: favorited } = expectStatus(await api.POST('/api/articles/{slug}/favorite', { params: { path: { slug } }, headers: auth }), 200);
    expect(favorited.article).toMatchObject({ favorited: true, favoritesCount: 1 });

    const { data: comment } = expectStatus(
      await api.POST('/api/articles/{slug}/comments', { params: { path: { slug } }, body: { comment: { body: 'First!' } }, headers: auth }),
      200,
    );
    const { data: comments } = expectStatus(await api.GET('/api/articles/{slug}/comments', { params: { path: { slug } } }), 200);
    expect(comments.comments.map((c) => c.id)).toEqual([comment.comment.id]);

    const { data: byTag } = expectStatus(await api.GET('/api/articles', { params: { query: { tag, limit: 5 } } }), 200);
    expect(byTag.articles.map((a) => a.slug)).toEqual([slug]);
    expect(byTag.articlesCount).toBe(1);

    const reader = await ctx.api.register();
    const { data: profile } = expectStatus(
      await api.POST('/api/profiles/{username}/follow', { params: { path: { username } }, headers: authorization(reader.token) }),
      200,
    );
    expect(profile.profile.following).toBe(true);
    const { data: feed } = expectStatus(await api.GET('/api/articles/feed', { headers: authorization(reader.token) }), 200);
    expect(feed.articles.map((a) => a.slug)).toContain(slug);

    const { response, error } = await api.DELETE('/api/articles/{slug}', { params: { path: { slug } }, headers: authorization(reader.token) });
    expect(response.status).toBe(403);
    expect(error?.errors.body[0]).toEqual(expect.any(String));
  });
});
