import { Injectable } from '@nestjs/common';
import { forbidden, isForeignKeyViolation, notFound } from '@app/errors';
import { ArticlesService } from '../articles';
import { CommentView } from './comment';
import { CommentsRepository } from './comments.repository';

@Injectable()
export class CommentsService {
  constructor(
    private readonly comments: CommentsRepository,
    private readonly articles: ArticlesService,
  ) {}

  async list(slug: string, viewerId: number | undefined): Promise<CommentView[]> {
    const article = await this.articles.ownership(slug);
    return this.comments.findByArticle(article.id, viewerId);
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
