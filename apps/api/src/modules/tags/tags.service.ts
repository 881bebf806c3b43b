import { Injectable } from '@nestjs/common';
import { Tx } from '@app/database';
import { TagsRepository } from './tags.repository';

/** How many tags `GET /api/tags` lists: the popular ones, as RealWorld frontends show them. */
export const POPULAR_TAGS_LIMIT = 100;

@Injectable()
export class TagsService {
  constructor(private readonly tags: TagsRepository) {}

  popular(): Promise<string[]> {
    return this.tags.findPopular(POPULAR_TAGS_LIMIT);
  }

  /** For the articles module: ids of these tags inside the caller's transaction. */
  ensureIds(tx: Tx, names: readonly string[]): Promise<number[]> {
    return this.tags.ensureIds(tx, names);
  }
}

/** Trimmed, without blanks or duplicates, in a stable (sorted) order. */
export function normalizeTagList(tagList: readonly string[] | undefined): string[] {
  const names = (tagList ?? []).map((tag) => tag.trim()).filter((tag) => tag.length > 0);
  return [...new Set(names)].sort();
}
