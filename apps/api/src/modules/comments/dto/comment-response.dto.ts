import { ApiProperty } from '@nestjs/swagger';
import { NextCursorProperty } from '@app/paging';
import { ProfileDto } from '../../profiles';

export class CommentDto {
  @ApiProperty({ example: 1 })
  id: number;

  @ApiProperty({ format: 'date-time', example: '2016-02-18T03:22:56.637Z' })
  createdAt: string;

  @ApiProperty({ format: 'date-time', example: '2016-02-18T03:22:56.637Z' })
  updatedAt: string;

  @ApiProperty({ example: 'It takes a Jacobian' })
  body: string;

  @ApiProperty({ type: ProfileDto })
  author: ProfileDto;
}

export class SingleCommentResponseDto {
  @ApiProperty({ type: CommentDto })
  comment: CommentDto;
}

export class MultipleCommentsResponseDto {
  @ApiProperty({ type: [CommentDto] })
  comments: CommentDto[];

  @NextCursorProperty()
  nextCursor: string | null;
}
