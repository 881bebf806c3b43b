import { unique } from '@app/testing';
import { useApiTestApp } from './support/api-test-app';

describe('GET /api/tags', () => {
  const ctx = useApiTestApp();

  it('lists tags in use, most used first, and forgets tags whose articles are deleted', async () => {
    const author = await ctx.api.register();
    const [popular, rare] = [unique('popular'), unique('rare')];
    for (let i = 0; i < 60; i++) await ctx.api.createArticle(author.token, { tagList: [popular] });
    const lone = await ctx.api.createArticle(author.token, { tagList: [rare, popular] });

    const tags: string[] = (await ctx.api.call('get', '/api/tags').expect(200)).body.tags;
    expect(tags).toContain(popular);
    expect(tags).toContain(rare);
    expect(tags.indexOf(popular)).toBeLessThan(tags.indexOf(rare));
    expect(tags.length).toBeLessThanOrEqual(100);

    await ctx.api.call('delete', `/api/articles/${lone.slug}`, { token: author.token }).expect(204);
    expect((await ctx.api.call('get', '/api/tags').expect(200)).body.tags).not.toContain(rare);
  });
});
