import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CacheGeneration, CacheService } from '@app/cache';
import { AppConfig } from '@app/config';
import { Tx } from '@app/database';
import { forbidden, notFound, unprocessable } from '@app/errors';
import { Page } from '@app/paging';
import { recordEvent } from '@app/queue';
import { DataSource } from 'typeorm';
import { normalizeTagList, TagsService } from '../tags';
import { ArticleFields, ArticleFilter, ArticleOwnership, ArticleView } from './article';
import { ArticlesRepository } from './articles.repository';
import { FavoritesRepository } from './favorites.repository';
import { slugify, withRandomSuffix } from './slug';

/** Cached article views embed their author's profile, so they depend on users too. */
const ARTICLE_DEPENDENCIES: readonly CacheGeneration[] = ['articles', 'users'];

/** A random 8-hex suffix collides with odds of 1 in 4 billion; a few tries are plenty. */
const SLUG_ATTEMPTS = 5;

export interface ArticleList {
  readonly articles: ArticleView[];
  readonly articlesCount: number;
}

export interface ArticleChanges extends Partial<ArticleFields> {
  readonly tagList?: string[];
}

@Injectable()
export class ArticlesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
    private readonly cache: CacheService,
    private readonly articles: ArticlesRepository,
    private readonly favorites: FavoritesRepository,
    private readonly tags: TagsService,
  ) {}

  /**
   * The first pages of the unfiltered list are cached without the viewer's
   * part, which is overlaid per request; every other list is one query for
   * the page and one for the total, run side by side.
   */
  async list(filter: ArticleFilter, viewerId: number | undefined, page: Page): Promise<ArticleList> {
    const cacheable = Object.values(filter).every((value) => value === undefined) && page.offset < this.config.cacheListMaxOffset;
    if (!cacheable) {
      const [articles, articlesCount] = await Promise.all([this.articles.findPage(filter, viewerId, page), this.articles.count(filter)]);
      return { articles, articlesCount };
    }
    const shared = await this.cache.getOrLoad('articles_page', `${page.limit}:${page.offset}`, ARTICLE_DEPENDENCIES, async () => {
      const [articles, articlesCount] = await Promise.all([this.articles.findPage(filter, undefined, page), this.articles.count(filter)]);
      return { articles, articlesCount };
    });
    return { articles: await this.overlay(shared.articles, viewerId), articlesCount: shared.articlesCount };
  }

  feed(viewerId: number, page: Page): Promise<ArticleList> {
    return this.list({ followedBy: viewerId }, viewerId, page);
  }

  async get(slug: string, viewerId: number | undefined): Promise<ArticleView> {
    const shared = await this.cache.getOrLoad('article', slug, ARTICLE_DEPENDENCIES, () => this.articles.findBySlug(slug, undefined));
    if (shared === undefined) throw articleNotFound(slug);
    const [article] = await this.overlay([shared], viewerId);
    return article;
  }

  /** Adds the viewer's `favorited` and `following` to views read without a viewer. */
  private async overlay(articles: ArticleView[], viewerId: number | undefined): Promise<ArticleView[]> {
    if (viewerId === undefined || articles.length === 0) return articles;
    const state = await this.articles.viewerState(
      viewerId,
      articles.map((article) => article.id),
      [...new Set(articles.map((article) => article.authorId))],
    );
    return articles.map((article) => ({
      ...article,
      favorited: state.favoritedArticleIds.has(article.id),
      author: { ...article.author, following: state.followedAuthorIds.has(article.authorId) },
    }));
  }

  /** For other modules (comments): the article's id and author, or 404. */
  async ownership(slug: string): Promise<ArticleOwnership> {
    const article = await this.articles.findOwnership(slug);
    if (article === undefined) throw articleNotFound(slug);
    return article;
  }

  async create(authorId: number, fields: ArticleFields, tagList: string[] | undefined): Promise<ArticleView> {
    const article = await this.db.transaction(async (tx) => {
      const base = slugify(fields.title);
      let id: number | undefined;
      for (let attempt = 0; id === undefined && attempt < SLUG_ATTEMPTS; attempt++) {
        id = await this.articles.tryInsert(tx, authorId, attempt === 0 ? base : withRandomSuffix(base), fields);
      }
      if (id === undefined) throw new Error(`no free slug for "${base}" after ${SLUG_ATTEMPTS} attempts`);
      await this.articles.replaceTags(tx, id, await this.tags.ensureIds(tx, normalizeTagList(tagList)));
      await recordEvent(tx, { type: 'article.published', payload: { articleId: id, authorId } });
      return this.viewInside(tx, id, authorId);
    });
    await this.cache.bump('articles');
    return article;
  }

  async update(userId: number, slug: string, changes: ArticleChanges): Promise<ArticleView> {
    if (Object.values(changes).every((value) => value === undefined)) {
      throw unprocessable('article must contain at least one field to update');
    }
    const updated = await this.db.transaction(async (tx) => {
      const article = await this.owned(tx, userId, slug);
      const { tagList, ...fields } = changes;
      await this.articles.update(tx, article.id, fields);
      if (fields.title !== undefined && fields.title !== article.title) await this.renameSlug(tx, article, fields.title);
      if (tagList !== undefined) await this.articles.replaceTags(tx, article.id, await this.tags.ensureIds(tx, normalizeTagList(tagList)));
      return this.viewInside(tx, article.id, userId);
    });
    await this.cache.bump('articles');
    return updated;
  }

  async delete(userId: number, slug: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const article = await this.owned(tx, userId, slug);
      await this.articles.delete(tx, article.id);
    });
    await this.cache.bump('articles');
  }

  /** Idempotent, and exact under concurrency: the count moves only when a favorite row is inserted. */
  async favorite(userId: number, slug: string): Promise<ArticleView> {
    const changed = await this.db.transaction(async (tx) => {
      const article = await this.articles.findOwnership(slug, tx);
      if (article === undefined) throw articleNotFound(slug);
      if (!(await this.favorites.add(tx, userId, article.id))) return false;
      await this.articles.adjustFavoritesCount(tx, article.id, 1);
      await recordEvent(tx, { type: 'article.favorited', payload: { articleId: article.id, authorId: article.authorId, userId } });
      return true;
    });
    if (changed) await this.cache.bump('articles');
    return this.get(slug, userId);
  }

  async unfavorite(userId: number, slug: string): Promise<ArticleView> {
    const changed = await this.db.transaction(async (tx) => {
      const article = await this.articles.findOwnership(slug, tx);
      if (article === undefined) throw articleNotFound(slug);
      if (!(await this.favorites.remove(tx, userId, article.id))) return false;
      await this.articles.adjustFavoritesCount(tx, article.id, -1);
      return true;
    });
    if (changed) await this.cache.bump('articles');
    return this.get(slug, userId);
  }

  private async owned(tx: Tx, userId: number, slug: string): Promise<ArticleOwnership> {
    const article = await this.articles.findOwnership(slug, tx);
    if (article === undefined) throw articleNotFound(slug);
    if (article.authorId !== userId) throw forbidden('only the author may change or delete this article');
    return article;
  }

  private async renameSlug(tx: Tx, article: ArticleOwnership, title: string): Promise<void> {
    const base = slugify(title);
    if (base === article.slug) return;
    for (let attempt = 0; attempt < SLUG_ATTEMPTS; attempt++) {
      if (await this.articles.trySetSlug(tx, article.id, attempt === 0 ? base : withRandomSuffix(base))) return;
    }
    throw new Error(`no free slug for "${base}" after ${SLUG_ATTEMPTS} attempts`);
  }

  private async viewInside(tx: Tx, id: number, viewerId: number): Promise<ArticleView> {
    const view = await this.articles.findById(id, viewerId, tx);
    if (view === undefined) throw new Error(`article ${id} vanished inside its own transaction`);
    return view;
  }
}

function articleNotFound(slug: string) {
  return notFound(`article "${slug}" not found`);
}
