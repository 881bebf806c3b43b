import { Injectable } from '@nestjs/common';
import { forbidden, isForeignKeyViolation, notFound } from '@app/errors';
import { OptionalPageQueryDto, PageCursors } from '@app/paging';
import { ArticlesService } from '../articles';
import { CommentView } from './comment';
import { CommentsRepository } from './comments.repository';

@Injectable()
export class CommentsService {
  constructor(
    private readonly comments: CommentsRepository,
    private readonly articles: ArticlesService,
    private readonly cursors: PageCursors,
  ) {}

  /**
   * The article's comments newest first: all of them (the contract's answer), or `limit` from
   * the start or from where a cursor of this article's comments left off; `nextCursor` goes on
   * from the last one (null when nothing follows).
   */
  async list(slug: string, viewerId: number | undefined, page: OptionalPageQueryDto = {}): Promise<{ comments: CommentView[]; nextCursor: string | null }> {
    const article = await this.articles.ownership(slug);
    const list = `comments of article ${article.id}`;
    const after = this.cursors.after(list, page, ['string', 'number']);
    // One more than asked: whether a next page exists, without a count.
    const rows = await this.comments.findByArticle(article.id, viewerId, {
      after: after && { micros: after[0] as string, id: after[1] as number },
      limit: page.limit === undefined ? undefined : page.limit + 1,
    });
    const { items, nextCursor } = this.cursors.page(list, rows, page.limit, (row) => [row.position.micros, row.position.id]);
    return { comments: items.map((row) => row.comment), nextCursor };
  }

  async add(slug: string, authorId: number, body: string): Promise<CommentView> {
    const article = await this.articles.ownership(slug);
    try {
      return await this.comments.insert(article, authorId, body);
    } catch (error) {
      // the article was deleted between the two statements: its foreign key refuses the comment
      if (isForeignKeyViolation(error)) throw notFound(`article "${slug}" not found`);
      throw error;
    }
  }

  /** Only the comment's author may delete it; a comment of another article is "not found". */
  async delete(slug: string, commentId: number, userId: number): Promise<void> {
    const article = await this.articles.ownership(slug);
    const authorId = await this.comments.findAuthorId(article.id, commentId);
    if (authorId === undefined) throw notFound(`comment ${commentId} not found on article "${slug}"`);
    if (authorId !== userId) throw forbidden('only the author may delete this comment');
    await this.comments.delete(commentId);
  }
}
