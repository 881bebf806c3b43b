import { Injectable } from '@nestjs/common';
import { CacheGeneration, CacheService } from '@app/cache';
import { AppConfig } from '@app/config';
import { Transactions, Tx } from '@app/database';
import { forbidden, isForeignKeyViolation, notFound, unprocessable } from '@app/errors';
import { CursorPosition, Page, PageCursors } from '@app/paging';
import { normalizeTagList, TagsService } from '../tags';
import { ArticleFields, ArticleFilter, ArticleOwnership, ArticleRef, ArticleView } from './article';
import { ArticlePosition } from './article-positions';
import { ArticlesRepository, toArticleView } from './articles.repository';
import { FavoritesRepository } from './favorites.repository';
import { slugify, withRandomSuffix } from './slug';

/** Cached pages and slugs embed their articles' authors, so they depend on users too. */
const ARTICLE_DEPENDENCIES: readonly CacheGeneration[] = ['articles', 'users'];
/** A view cached by (id, version) changes only with its article's version, or with its author. */
const VIEW_DEPENDENCIES: readonly CacheGeneration[] = ['users'];

/** A random 8-hex suffix collides with odds of 1 in 4 billion; a few tries are plenty. */
const SLUG_ATTEMPTS = 5;
export interface ArticleList {
  readonly articles: ArticleView[];
  readonly articlesCount: number;
  /** Where the next page starts (`cursor`), or null on the last page. */
  readonly nextCursor: string | null;
}

/** A first cached page, as every viewer sees it: where its next page starts instead of a cursor (cursors are per list, made per request). */
interface SharedPage {
  readonly articles: ArticleView[];
  readonly articlesCount: number;
  readonly next: ArticlePosition | null;
}

/** A page of a list: `limit` after `offset`, or `limit` after a cursor (with offset 0). */
export interface ListPage extends Page {
  readonly cursor?: string;
}

export interface ArticleChanges extends Partial<ArticleFields> {
  readonly tagList?: string[];
}

@Injectable()
export class ArticlesService {
  constructor(
    private readonly transactions: Transactions,
    private readonly config: AppConfig,
    private readonly cache: CacheService,
    private readonly articles: ArticlesRepository,
    private readonly favorites: FavoritesRepository,
    private readonly tags: TagsService,
    private readonly cursors: PageCursors,
  ) {}

  /**
   * The first pages of the unfiltered list are cached whole, without the
   * viewer's part (overlaid per request). Other pages: the first pages' ids
   * are cached by filter (only writes that can change which articles match
   * invalidate them: see `listDependencies`), and one statement reads the
   * articles' current versions with the viewer's part; deeper pages, and
   * pages after a cursor, are read in one statement. Views come from the
   * cache by (id, version), the total from the cache by filter.
   *
   * Every page reads one article more than it shows: whether one follows
   * decides `nextCursor` (the position of the last one shown, or null).
   */
  async list(filter: ArticleFilter, viewerId: number | undefined, page: ListPage): Promise<ArticleList> {
    const key = filterKey(filter);
    const list = `articles ${key}`;
    const after = this.positionOf(list, page, filter);
    const unfiltered = Object.values(filter).every((value) => value === undefined);
    const shallow = after === undefined && page.offset < this.config.cacheListMaxOffset;
    if (unfiltered && shallow) {
      const shared = await this.cache.getOrLoad('articles_first_pages', `${page.limit}:${page.offset}`, ARTICLE_DEPENDENCIES, () =>
        this.loadPage(filter, page),
      );
      const nextCursor = shared.next === null ? null : this.cursors.encode(list, cursorOf(shared.next));
      return { articles: await this.overlay(shared.articles, viewerId), articlesCount: shared.articlesCount, nextCursor };
    }
    const dependencies = listDependencies(filter);
    const [{ refs, next }, articlesCount] = await Promise.all([
      shallow
        ? this.cache
            .getOrLoad('articles_page_ids', `${key}:${page.limit}:${page.offset}`, dependencies, () =>
              this.articles.findPageIds(filter, page.limit + 1, page.offset),
            )
            .then(async (entries) => ({
              refs: await this.articles.findRefs(
                shown(entries, page).map((entry) => entry.id),
                viewerId,
              ),
              next: nextOf(entries, page),
            }))
        : this.articles
            .findPageRefs(filter, viewerId, page.limit + 1, page.offset, after)
            .then((read) => ({ refs: shown(read, page), next: nextOf(read, page) })),
      this.cache.getOrLoad('articles_count', key, dependencies, () => this.articles.count(filter)),
    ]);
    const views = await this.views(refs);
    const articles = refs.flatMap((ref) => {
      const view = views.get(ref.id);
      return view ? [withViewer(view, ref.favorited, ref.following)] : [];
    });
    return { articles, articlesCount, nextCursor: next === null ? null : this.cursors.encode(list, cursorOf(next)) };
  }

  feed(viewerId: number, page: ListPage): Promise<ArticleList> {
    return this.list({ followedBy: viewerId }, viewerId, page);
  }

  async get(slug: string, viewerId: number | undefined): Promise<ArticleView> {
    const shared = await this.cache.getOrLoad('article', slug, ARTICLE_DEPENDENCIES, () => this.articles.findBySlug(slug));
    if (shared === undefined) throw articleNotFound(slug);
    const [article] = await this.overlay([shared], viewerId);
    return article;
  }

  /** For other modules (comments): the article's id and author, or 404. */
  async ownership(slug: string): Promise<ArticleOwnership> {
    const article = await this.articles.findOwnership(slug);
    if (article === undefined) throw articleNotFound(slug);
    return article;
  }

  /** Two statements: the tags and the id first, then the article with its tag links and event, atomically. */
  async create(authorId: number, fields: ArticleFields, tagList: string[] | undefined): Promise<ArticleView> {
    const tagNames = normalizeTagList(tagList);
    const id = await this.articles.reserve(tagNames);
    const base = slugify(fields.title);
    for (let attempt = 0; attempt < SLUG_ATTEMPTS; attempt++) {
      const article = await this.articles.tryInsert(id, authorId, attempt === 0 ? base : withRandomSuffix(base), fields, tagNames);
      if (article) {
        await this.cache.bump('articles', 'publications');
        return article;
      }
    }
    throw new Error(`no free slug for "${base}" after ${SLUG_ATTEMPTS} attempts`);
  }

  async update(userId: number, slug: string, changes: ArticleChanges): Promise<ArticleView> {
    if (Object.values(changes).every((value) => value === undefined)) {
      throw unprocessable('article must contain at least one field to update');
    }
    const updated = await this.transactions.run(async (tx) => {
      const article = await this.owned(tx, userId, slug);
      const { tagList, ...fields } = changes;
      await this.articles.update(tx, article.id, fields);
      if (fields.title !== undefined && fields.title !== article.title) await this.renameSlug(tx, article, fields.title);
      if (tagList !== undefined) await this.articles.replaceTags(tx, article.id, await this.tags.ensureIds(tx, normalizeTagList(tagList)));
      // What search finds changes with the article, atomically.
      await this.articles.refreshSearch(tx, article.id);
      return this.viewInside(tx, article.id, userId);
    });
    // Any edit (text or tags) can change which articles a search or a tag matches.
    await this.cache.bump('articles', 'publications');
    return updated;
  }

  async delete(userId: number, slug: string): Promise<void> {
    await this.transactions.run(async (tx) => {
      const article = await this.owned(tx, userId, slug);
      await this.articles.delete(tx, article.id);
    });
    await this.cache.bump('articles', 'publications');
  }

  /** Idempotent, and exact under concurrency: the count moves only when a favorite row is inserted. */
  favorite(userId: number, slug: string): Promise<ArticleView> {
    return this.changeFavorite(userId, slug, true);
  }

  unfavorite(userId: number, slug: string): Promise<ArticleView> {
    return this.changeFavorite(userId, slug, false);
  }

  private async changeFavorite(userId: number, slug: string, adding: boolean): Promise<ArticleView> {
    const article = await this.ownership(slug);
    let change;
    try {
      change = await (adding ? this.favorites.add(userId, article) : this.favorites.remove(userId, article));
    } catch (error) {
      // deleted between the two statements: the favorite's foreign key refuses it
      if (isForeignKeyViolation(error)) throw articleNotFound(slug);
      throw error;
    }
    if (change === undefined) throw articleNotFound(slug);
    if (change.changed) await this.cache.bump('articles', 'favorites');
    return withViewer(toArticleView(change.article), adding, change.article.following ?? false);
  }

  /** The first cached pages: references, then views, as every viewer sees them, and the position a next page starts after. */
  private async loadPage(filter: ArticleFilter, page: Page): Promise<SharedPage> {
    const [read, articlesCount] = await Promise.all([this.articles.findPageRefs(filter, undefined, page.limit + 1, page.offset), this.articles.count(filter)]);
    const views = await this.views(shown(read, page));
    return { articles: shown(read, page).flatMap((ref) => views.get(ref.id) ?? []), articlesCount, next: nextOf(read, page) };
  }

  /** Where the page starts: after its cursor's article (422 for a cursor this list did not issue), or undefined. */
  private positionOf(list: string, page: ListPage, filter: ArticleFilter): ArticlePosition | undefined {
    if (filter.search === undefined) {
      const position = this.cursors.after(list, page, ['string', 'number']) as [string, number] | undefined;
      return position && { micros: position[0], id: position[1] };
    }
    const position = this.cursors.after(list, page, ['string', 'number', 'number']) as [string, number, number] | undefined;
    return position && { micros: position[0], id: position[1], titleMatch: position[2] === 1 };
  }

  /** Views of the referenced articles (as every viewer sees them), by id: from the cache by version, the rest in one query. */
  private async views(refs: readonly ArticleRef[]): Promise<Map<number, ArticleView>> {
    const keys = refs.map((ref) => `${ref.id}:${ref.version}`);
    const cached = await this.cache.getManyOrLoad('article_view', keys, VIEW_DEPENDENCIES, async (missing) => {
      const views = await this.articles.findViews(missing.map((key) => Number(key.split(':')[0])));
      // Stored under the version read (a write may have come in between: the newer view is right).
      return new Map(views.map((view) => [`${view.id}:${view.version}`, view]));
    });
    const byId = new Map<number, ArticleView>();
    for (const view of cached.values()) {
      const known = byId.get(view.id);
      if (!known || known.version < view.version) byId.set(view.id, view);
    }
    return byId;
  }

  /** Adds the viewer's `favorited` and `following` to views read without a viewer. */
  private async overlay(articles: ArticleView[], viewerId: number | undefined): Promise<ArticleView[]> {
    if (viewerId === undefined || articles.length === 0) return articles;
    const state = await this.articles.viewerState(
      viewerId,
      articles.map((article) => article.id),
      [...new Set(articles.map((article) => article.authorId))],
    );
    return articles.map((article) => withViewer(article, state.favoritedArticleIds.has(article.id), state.followedAuthorIds.has(article.authorId)));
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
    const view = await this.articles.findById(tx, id, viewerId);
    if (view === undefined) throw new Error(`article ${id} vanished inside its own transaction`);
    return view;
  }
}

/** The entries a page shows, of those read (one more than its limit). */
function shown<T>(read: readonly T[], page: Page): T[] {
  return read.slice(0, page.limit);
}

/**
 * The position the next page starts after: the page's last entry, when one more was read (even if
 * that article was deleted since: the next page still starts there); null on the last page.
 */
function nextOf(read: readonly { position: ArticlePosition }[], page: Page): ArticlePosition | null {
  return read.length > page.limit ? read[page.limit - 1].position : null;
}

/** A cursor's position list for an article position (a search's also says which tier). */
function cursorOf(position: ArticlePosition): CursorPosition {
  return position.titleMatch === undefined ? [position.micros, position.id] : [position.micros, position.id, position.titleMatch ? 1 : 0];
}

/** A view with the viewer's part; cached views are shared and never changed. */
function withViewer(view: ArticleView, favorited: boolean, following: boolean): ArticleView {
  if (view.favorited === favorited && view.author.following === following) return view;
  return { ...view, favorited, author: { ...view.author, following } };
}

/** The cache key of a filter; usernames are matched without case, tags exactly. */
function filterKey(filter: ArticleFilter): string {
  return JSON.stringify([
    filter.tag ?? null,
    filter.author?.toLowerCase() ?? null,
    filter.favoritedBy?.toLowerCase() ?? null,
    filter.followedBy ?? null,
    filter.search ?? null,
  ]);
}

/**
 * What can change which articles a filter matches, or their order: any
 * article created, deleted or edited (its tags, or the text a search finds); for a name, the users (a rename
 * moves the name); favorites, and follows for the feed.
 */
function listDependencies(filter: ArticleFilter): CacheGeneration[] {
  const dependencies: CacheGeneration[] = ['publications'];
  if (filter.author !== undefined || filter.favoritedBy !== undefined) dependencies.push('users');
  if (filter.favoritedBy !== undefined) dependencies.push('favorites');
  if (filter.followedBy !== undefined) dependencies.push('follows');
  return dependencies;
}

function articleNotFound(slug: string) {
  return notFound(`article "${slug}" not found`);
}
