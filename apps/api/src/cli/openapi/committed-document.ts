import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findBreakingChanges, OpenApiDocument } from './compatibility';

/** The committed contract, beside the log of breaking changes that were made on purpose. */
export const OPENAPI_DIR = 'openapi';
export const DOCUMENT_FILE = 'openapi.json';
export const BREAKING_CHANGES_LOG = 'BREAKING-CHANGES.md';

/** Stable text: Nest emits paths and schemas in declaration order, so the same code gives the same bytes. */
export function serializeDocument(document: OpenApiDocument): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

export function readCommittedDocument(dir: string): OpenApiDocument | undefined {
  const file = join(dir, DOCUMENT_FILE);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as OpenApiDocument) : undefined;
}

export type UpdateResult =
  | { outcome: 'unchanged' | 'written'; breaking: string[] }
  | { outcome: 'refused'; breaking: string[] };

/**
 * Replaces the committed document with `next`. Breaking changes are refused
 * unless `intended` says why they are wanted; then they are written down in
 * BREAKING-CHANGES.md, so the change and its reason are reviewed together.
 */
export function updateCommittedDocument(dir: string, next: OpenApiDocument, intended?: string): UpdateResult {
  const previous = readCommittedDocument(dir);
  const text = serializeDocument(next);
  if (previous && serializeDocument(previous) === text) return { outcome: 'unchanged', breaking: [] };
  const breaking = previous ? findBreakingChanges(previous, next) : [];
  if (breaking.length > 0 && !intended?.trim()) return { outcome: 'refused', breaking };
  if (breaking.length > 0) {
    const entry = [`## ${new Date().toISOString().slice(0, 10)}: ${intended?.trim()}`, '', ...breaking.map((change) => `- ${change}`), '', ''].join('\n');
    appendFileSync(join(dir, BREAKING_CHANGES_LOG), entry);
  }
  writeFileSync(join(dir, DOCUMENT_FILE), text);
  return { outcome: 'written', breaking };
}
