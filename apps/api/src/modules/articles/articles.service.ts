import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Tx } from '@app/database';
import { forbidden, notFound, unprocessable } from '@app/errors';
import { Page } from '@app/paging';
import { DataSource } from 'typeorm';
import { normalizeTagList, TagsService } from '../tags';
import { ArticleFields, ArticleFilter, ArticleOwnership, ArticleView } from './article';
import { ArticlesRepository } from './articles.repository';
import { FavoritesRepository } from './favorites.repository';
import { slugify, withRandomSuffix } from './slug';

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
    private readonly articles: ArticlesRepository,
    private readonly favorites: FavoritesRepository,
    private readonly tags: TagsService,
  ) {}

  /** The page and the total count are independent reads: run them side by side. */
  async list(filter: ArticleFilter, viewerId: number | undefined, page: Page): Promise<ArticleList> {
    const [articles, articlesCount] = await Promise.all([this.articles.findPage(filter, viewerId, page), this.articles.count(filter)]);
    return { articles, articlesCount };
  }

  feed(viewerId: number, page: Page): Promise<ArticleList> {
    return this.list({ followedBy: viewerId }, viewerId, page);
  }

  async get(slug: string, viewerId: number | undefined): Promise<ArticleView> {
    const article = await this.articles.findBySlug(slug, viewerId);
    if (article === undefined) throw articleNotFound(slug);
    return article;
  }

  /** For other modules (comments): the article's id and author, or 404. */
  async ownership(slug: string): Promise<ArticleOwnership> {
    const article = await this.articles.findOwnership(slug);
    if (article === undefined) throw articleNotFound(slug);
    return article;
  }

  create(authorId: number, fields: ArticleFields, tagList: string[] | undefined): Promise<ArticleView> {
    return this.db.transaction(async (tx) => {
      const base = slugify(fields.title);
      let id: number | undefined;
      for (let attempt = 0; id === undefined && attempt < SLUG_ATTEMPTS; attempt++) {
        id = await this.articles.tryInsert(tx, authorId, attempt === 0 ? base : withRandomSuffix(base), fields);
      }
      if (id === undefined) throw new Error(`no free slug for "${base}" after ${SLUG_ATTEMPTS} attempts`);
      await this.articles.replaceTags(tx, id, await this.tags.ensureIds(tx, normalizeTagList(tagList)));
      return this.viewInside(tx, id, authorId);
    });
  }

  update(userId: number, slug: string, changes: ArticleChanges): Promise<ArticleView> {
    if (Object.values(changes).every((value) => value === undefined)) {
      throw unprocessable('article must contain at least one field to update');
    }
    return this.db.transaction(async (tx) => {
      const article = await this.owned(tx, userId, slug);
      const { tagList, ...fields } = changes;
      await this.articles.update(tx, article.id, fields);
      if (fields.title !== undefined && fields.title !== article.title) await this.renameSlug(tx, article, fields.title);
      if (tagList !== undefined) await this.articles.replaceTags(tx, article.id, await this.tags.ensureIds(tx, normalizeTagList(tagList)));
      return this.viewInside(tx, article.id, userId);
    });
  }

  async delete(userId: number, slug: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const article = await this.owned(tx, userId, slug);
      await this.articles.delete(tx, article.id);
    });
  }

  /** Idempotent, and exact under concurrency: the count moves only when a favorite row is inserted. */
  async favorite(userId: number, slug: string): Promise<ArticleView> {
    await this.db.transaction(async (tx) => {
      const article = await this.articles.findOwnership(slug, tx);
      if (article === undefined) throw articleNotFound(slug);
      if (await this.favorites.add(tx, userId, article.id)) await this.articles.adjustFavoritesCount(tx, article.id, 1);
    });
    return this.get(slug, userId);
  }

  async unfavorite(userId: number, slug: string): Promise<ArticleView> {
    await this.db.transaction(async (tx) => {
      const article = await this.articles.findOwnership(slug, tx);
      if (article === undefined) throw articleNotFound(slug);
      if (await this.favorites.remove(tx, userId, article.id)) await this.articles.adjustFavoritesCount(tx, article.id, -1);
    });
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
