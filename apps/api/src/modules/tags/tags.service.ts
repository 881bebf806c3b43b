import { Injectable } from '@nestjs/common';
import { CacheService } from '@app/cache';
import { Tx } from '@app/database';
import { TagsRepository } from './tags.repository';

/** How many tags `GET /api/tags` lists: the popular ones, as RealWorld frontends show them. */
export const POPULAR_TAGS_LIMIT = 100;

@Injectable()
export class TagsService {
  constructor(
    private readonly tags: TagsRepository,
    private readonly cache: CacheService,
  ) {}

  /** Cached: tags in use change only when articles are created, deleted or retagged ("publications"). */
  popular(): Promise<string[]> {
    return this.cache.getOrLoad('tags', 'popular', ['publications'], () => this.tags.findPopular(POPULAR_TAGS_LIMIT));
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
