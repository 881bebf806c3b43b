import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findBreakingChanges, OpenApiDocument } from './compatibility';

/** The committed contract is the realistic starting point; each test changes one thing. */
const committed: OpenApiDocument = JSON.parse(readFileSync(join(__dirname, '../../../../../openapi/openapi.json'), 'utf8'));
type Json = Record<string, any>;

function changed(edit: (document: Json) => void): string[] {
  const next = structuredClone(committed) as Json;
  edit(next);
  return findBreakingChanges(committed, next as OpenApiDocument);
}

describe('findBreakingChanges', () => {
  it('finds nothing between a document and itself', () => {
    expect(findBreakingChanges(committed, committed)).toEqual([]);
  });

  it('allows additions: a path, an operation, an optional parameter, an optional request field, a response field', () => {
    const result = changed((d) => {
      d.paths['/api/bookmarks'] = { get: { responses: { 200: {} } } };
      d.paths['/api/tags'].post = { responses: { 201: {} } };
      d.paths['/api/articles'].get.parameters.push({ name: 'since', in: 'query', required: false, schema: { type: 'string' } });
      d.components.schemas.NewArticleDto.properties.subtitle = { type: 'string' };
      d.components.schemas.ArticleDto.properties.readingMinutes = { type: 'number' };
      d.components.schemas.ArticleDto.required.push('readingMinutes');
    });
    expect(result).toEqual([]);
  });

  it.each<[string, (d: Json) => void, string]>([
    ['a removed path', (d) => delete d.paths['/api/tags'], 'removed path /api/tags'],
    ['a removed operation', (d) => delete d.paths['/api/articles/{slug}'].delete, 'removed operation DELETE /api/articles/{slug}'],
    ['a changed success status', (d) => (d.paths['/api/articles'].post.responses = { 200: d.paths['/api/articles'].post.responses['201'] }), 'POST /api/articles: no longer answers 201'],
    [
      'a removed required response field',
      (d) => delete d.components.schemas.ArticleDto.properties.favoritesCount,
      'GET /api/articles/{slug}: 200 response.article: field "favoritesCount" removed',
    ],
    [
      'a response field that became optional',
      (d) => (d.components.schemas.ArticleDto.required = d.components.schemas.ArticleDto.required.filter((name: string) => name !== 'slug')),
      'GET /api/articles/{slug}: 200 response.article: field "slug" is no longer always present',
    ],
    [
      'a changed response type',
      (d) => (d.components.schemas.ArticleDto.properties.favoritesCount = { type: 'string' }),
      'GET /api/articles/{slug}: 200 response.article.favoritesCount: type changed from number to string',
    ],
    [
      'a newly required request field',
      (d) => d.components.schemas.NewArticleDto.required.push('tagList'),
      'POST /api/articles: request body.article: field "tagList" is now required',
    ],
    [
      'a removed request field',
      (d) => delete d.components.schemas.NewArticleDto.properties.tagList,
      'POST /api/articles: request body.article: field "tagList" removed (clients sending it would be ignored)',
    ],
    [
      'a changed parameter type',
      (d) => (d.paths['/api/articles'].get.parameters.find((p: Json) => p.name === 'limit').schema.type = 'string'),
      'GET /api/articles: query parameter "limit": type changed from number to string',
    ],
    [
      'a new required parameter',
      (d) => d.paths['/api/tags'].get.parameters.push({ name: 'lang', in: 'query', required: true, schema: { type: 'string' } }),
      'GET /api/tags: new required query parameter "lang"',
    ],
  ])('reports %s', (_name, edit, expected) => {
    expect(changed(edit)).toContain(expected);
  });
});
