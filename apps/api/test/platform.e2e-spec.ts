import { useApiTestApp } from './support/api-test-app';

describe('health, OpenAPI and HTTP edge', () => {
  const ctx = useApiTestApp();

  it('answers /health/live without touching dependencies and /health/ready with PostgreSQL and Redis up', async () => {
    expect((await ctx.api.call('get', '/health/live').expect(200)).body).toEqual({ status: 'ok' });
    const ready = await ctx.api.call('get', '/health/ready').expect(200);
    expect(ready.body).toMatchObject({ status: 'ok', details: { database: { status: 'up' }, redis: { status: 'up' } } });
  });

  it('documents only the public API at /docs, its groups in the order a user meets them, and health and metrics for operators apart', async () => {
    const document = (await ctx.api.call('get', '/docs-json').expect(200)).body;
    expect(Object.keys(document.paths).filter((path) => !path.startsWith('/api/'))).toEqual([]);
    expect((document.tags as { name: string }[]).map((tag) => tag.name)).toEqual([
      'User and Authentication',
      'Profile',
      'Articles',
      'Favorites',
      'Comments',
      'Tags',
      'Notifications',
      'Webhooks',
    ]);
    // The gateway routes /docs but not /internal: the operators' document is on each instance's own port.
    const operators = (await ctx.api.call('get', '/internal/docs-json').expect(200)).body;
    expect(Object.keys(operators.paths).sort()).toEqual(['/health/live', '/health/ready', '/metrics']);
    expect((await ctx.api.call('get', '/internal/docs').expect(200)).text).toContain('swagger-ui');
  });

  it('serves Swagger UI at /docs and a document with all 19 RealWorld operations and the Token scheme', async () => {
    const page = await ctx.api.call('get', '/docs').expect(200);
    expect(page.text).toContain('swagger-ui');
    const document = (await ctx.api.call('get', '/docs-json').expect(200)).body;
    const operationIds = Object.values(document.paths as Record<string, Record<string, { operationId: string }>>).flatMap((path) =>
      Object.values(path).map((operation) => operation.operationId),
    );
    expect(operationIds).toEqual(
      expect.arrayContaining([
        'Login',
        'CreateUser',
        'GetCurrentUser',
        'UpdateCurrentUser',
        'GetProfileByUsername',
        'FollowUserByUsername',
        'UnfollowUserByUsername',
        'GetArticlesFeed',
        'GetArticles',
        'CreateArticle',
        'GetArticle',
        'UpdateArticle',
        'DeleteArticle',
        'GetArticleComments',
        'CreateArticleComment',
        'DeleteArticleComment',
        'CreateArticleFavorite',
        'DeleteArticleFavorite',
        'GetTags',
      ]),
    );
    expect(document.components.securitySchemes.Token).toMatchObject({ type: 'apiKey', in: 'header', name: 'Authorization' });
    const createArticle = document.paths['/api/articles'].post;
    expect(createArticle.security).toEqual([{ Token: [] }]);
    expect(Object.keys(createArticle.responses)).toEqual(expect.arrayContaining(['201', '401', '422']));
    expect(document.components.schemas.ErrorResponseDto).toBeDefined();
  });

  it('sets a request id (keeping a sane one from the client) and security headers', async () => {
    const generated = await ctx.api.call('get', '/api/tags').expect(200);
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(generated.headers['x-content-type-options']).toBe('nosniff');
    expect(generated.headers['x-powered-by']).toBeUndefined();
    const kept = await ctx.api.call('get', '/api/tags').set('X-Request-Id', 'client-id-123').expect(200);
    expect(kept.headers['x-request-id']).toBe('client-id-123');
    const replaced = await ctx.api.call('get', '/api/tags').set('X-Request-Id', 'bad id with spaces').expect(200);
    expect(replaced.headers['x-request-id']).not.toBe('bad id with spaces');
  });

  it('keeps the schema in the hands of migrations (all applied, none pending)', async () => {
    expect(await ctx.db.showMigrations()).toBe(false);
    const indexes: { indexname: string }[] = await ctx.db.query(`SELECT indexname FROM pg_indexes WHERE schemaname = 'public'`);
    expect(indexes.map((i) => i.indexname)).toEqual(
      expect.arrayContaining([
        'users_username_unique',
        'users_email_unique',
        'articles_slug_unique',
        'articles_created_idx',
        'articles_author_created_idx',
        'article_tags_tag_created_idx',
        'favorites_article_idx',
        'follows_followee_idx',
        'comments_article_created_idx',
      ]),
    );
  });
});
