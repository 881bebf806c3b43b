import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Auth, AuthUser, CurrentUser, OptionalAuth } from '@app/auth';
import { ApiErrorResponses, RowIdPipe } from '@app/errors';
import { OptionalPageQueryDto } from '@app/paging';
import { toCommentDto } from './comment.mapper';
import { CommentsService } from './comments.service';
import { MultipleCommentsResponseDto, SingleCommentResponseDto } from './dto/comment-response.dto';
import { NewCommentRequestDto } from './dto/new-comment.dto';

@ApiTags('Comments')
@Controller('articles/:slug/comments')
@ApiParam({ name: 'slug', example: 'how-to-train-your-dragon' })
export class CommentsController {
  constructor(private readonly comments: CommentsService) {}

  @Get()
  @OptionalAuth()
  @ApiOperation({
    operationId: 'GetArticleComments',
    summary: 'Get the comments of an article, newest first',
    description: "All of them, as the RealWorld contract has it; or pages of `limit`, walked with `cursor` (each answer's `nextCursor`).",
  })
  @ApiOkResponse({ type: MultipleCommentsResponseDto })
  @ApiErrorResponses({ 404: 'No article with this slug', 422: 'An invalid limit, or a cursor this list did not issue' })
  async list(@Param('slug') slug: string, @Query() page: OptionalPageQueryDto, @CurrentUser() viewer?: AuthUser): Promise<MultipleCommentsResponseDto> {
    const { comments, nextCursor } = await this.comments.list(slug, viewer?.id, page);
    return { comments: comments.map(toCommentDto), nextCursor };
  }

  /** 200, not 201: the RealWorld spec (1.1.0) documents 200 for this operation. */
  @Post()
  @HttpCode(HttpStatus.OK)
  @Auth()
  @ApiOperation({ operationId: 'CreateArticleComment', summary: 'Create a comment for an article' })
  @ApiOkResponse({ type: SingleCommentResponseDto })
  @ApiErrorResponses({ 404: 'No article with this slug', 422: 'Invalid comment' })
  async add(@Param('slug') slug: string, @Body() { comment }: NewCommentRequestDto, @CurrentUser() author: AuthUser): Promise<SingleCommentResponseDto> {
    return { comment: toCommentDto(await this.comments.add(slug, author.id, comment.body)) };
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @Auth()
  @ApiParam({ name: 'id', type: Number, example: 1 })
  @ApiOperation({ operationId: 'DeleteArticleComment', summary: 'Delete a comment (its author only)' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrorResponses({ 403: 'Not the comment author', 404: 'No such article or comment', 422: 'id is not an integer' })
  async delete(@Param('slug') slug: string, @Param('id', new RowIdPipe('comment')) id: number, @CurrentUser() user: AuthUser): Promise<void> {
    await this.comments.delete(slug, id, user.id);
  }
}
