import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BREAKING_CHANGES_LOG, DOCUMENT_FILE, readCommittedDocument, updateCommittedDocument } from './committed-document';
import { OpenApiDocument } from './compatibility';

const COMMITTED_DIR = join(__dirname, '../../../../../openapi');

describe('updateCommittedDocument (npm run openapi:generate) on a temporary copy of openapi/', () => {
  let dir: string;
  let current: OpenApiDocument;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'openapi-'));
    cpSync(join(COMMITTED_DIR, DOCUMENT_FILE), join(dir, DOCUMENT_FILE));
    current = readCommittedDocument(dir)!;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const withoutTags = (): OpenApiDocument => {
    const next = structuredClone(current);
    delete next.paths['/api/tags'];
    return next;
  };

  it('leaves an unchanged document alone and writes an additive change', () => {
    expect(updateCommittedDocument(dir, current)).toEqual({ outcome: 'unchanged', breaking: [] });
    const next = structuredClone(current);
    next.paths['/api/bookmarks'] = { get: { responses: { 200: { description: '' } } } };
    expect(updateCommittedDocument(dir, next)).toEqual({ outcome: 'written', breaking: [] });
    expect(readCommittedDocument(dir)).toEqual(next);
  });

  it('refuses a breaking change that is not marked intended, and keeps the committed document', () => {
    expect(updateCommittedDocument(dir, withoutTags())).toEqual({ outcome: 'refused', breaking: ['removed path /api/tags'] });
    expect(readCommittedDocument(dir)).toEqual(current);
    expect(existsSync(join(dir, BREAKING_CHANGES_LOG))).toBe(false);
  });

  it('writes an intended breaking change and records it with its reason', () => {
    expect(updateCommittedDocument(dir, withoutTags(), 'tags moved to /api/v2/tags')).toEqual({ outcome: 'written', breaking: ['removed path /api/tags'] });
    expect(readCommittedDocument(dir)?.paths['/api/tags']).toBeUndefined();
    expect(readFileSync(join(dir, BREAKING_CHANGES_LOG), 'utf8')).toMatch(/^## \d{4}-\d{2}-\d{2}: tags moved to \/api\/v2\/tags\n\n- removed path \/api\/tags\n/);
  });
});
