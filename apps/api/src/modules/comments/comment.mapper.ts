import type { CommentView } from './comment';
import type { CommentDto } from './dto/comment-response.dto';

export function toCommentDto(comment: CommentView): CommentDto {
  return {
    id: comment.id,
    createdAt: comment.createdAt,
    updatedAt: comment.updatedAt,
    body: comment.body,
    author: { ...comment.author },
  };
}
