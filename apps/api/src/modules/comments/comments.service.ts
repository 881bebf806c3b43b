import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { forbidden, notFound } from '@app/errors';
import { recordEvent } from '@app/queue';
import { DataSource } from 'typeorm';
import { ArticlesService } from '../articles';
import { CommentView } from './comment';
import { CommentsRepository } from './comments.repository';

@Injectable()
export class CommentsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly comments: CommentsRepository,
    private readonly articles: ArticlesService,
  ) {}

  async list(slug: string, viewerId: number | undefined): Promise<CommentView[]> {
    const article = await this.articles.ownership(slug);
    return this.comments.findByArticle(article.id, viewerId);
  }

  async add(slug: string, authorId: number, body: string): Promise<CommentView> {
    const article = await this.articles.ownership(slug);
    return this.db.transaction(async (tx) => {
      const comment = await this.comments.insert(tx, article.id, authorId, body);
      await recordEvent(tx, {
        type: 'comment.created',
        payload: { commentId: comment.id, articleId: article.id, articleAuthorId: article.authorId, authorId },
      });
      return comment;
    });
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
