import { unique } from '@app/testing';
import { expectErrorShape, useApiTestApp } from './support/api-test-app';

describe('profiles and follows', () => {
  const ctx = useApiTestApp();

  it('shows a profile anonymously with following false and bio/image present', async () => {
    const user = await ctx.api.register();
    const response = await ctx.api.call('get', `/api/profiles/${user.username}`).expect(200);
    expect(response.body).toEqual({ profile: { username: user.username, bio: null, image: null, following: false } });
  });

  it('answers 404 in the error shape for an unknown user', async () => {
    expectErrorShape((await ctx.api.call('get', `/api/profiles/${unique('ghost')}`).expect(404)).body);
  });

  it('follows and unfollows idempotently, also when follow requests race', async () => {
    const [fan, star] = [await ctx.api.register(), await ctx.api.register()];
    const follows = await Promise.all(Array.from({ length: 5 }, () => ctx.api.call('post', `/api/profiles/${star.username}/follow`, { token: fan.token })));
    expect(follows.map((r) => r.status)).toEqual(Array(5).fill(200));
    expect(follows[0].body.profile).toMatchObject({ username: star.username, following: true });
    const [{ count }] = await ctx.db.query(
      `SELECT count(*)::int AS count FROM follows f JOIN users a ON a.id = f.follower_id JOIN users b ON b.id = f.followee_id
        WHERE a.username = $1 AND b.username = $2`,
      [fan.username, star.username],
    );
    expect(count).toBe(1);
    expect((await ctx.api.call('get', `/api/profiles/${star.username}`, { token: fan.token }).expect(200)).body.profile.following).toBe(true);

    await ctx.api.call('delete', `/api/profiles/${star.username}/follow`, { token: fan.token }).expect(200);
    const again = await ctx.api.call('delete', `/api/profiles/${star.username}/follow`, { token: fan.token }).expect(200);
    expect(again.body.profile.following).toBe(false);
  });

  it('refuses following yourself (422), unknown users (404) and anonymous calls (401)', async () => {
    const user = await ctx.api.register();
    expectErrorShape((await ctx.api.call('post', `/api/profiles/${user.username}/follow`, { token: user.token }).expect(422)).body);
    await ctx.api.call('post', `/api/profiles/${unique('ghost')}/follow`, { token: user.token }).expect(404);
    await ctx.api.call('post', `/api/profiles/${user.username}/follow`).expect(401);
    await ctx.api.call('delete', `/api/profiles/${user.username}/follow`).expect(401);
  });
});
