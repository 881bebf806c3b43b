import { IsEnvelope } from '@app/errors';
import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, Matches, MaxLength } from 'class-validator';

export const COMMENT_MAX_LENGTH = 20_000;

export class NewCommentDto {
  @ApiProperty({ example: 'It takes a Jacobian', maxLength: COMMENT_MAX_LENGTH })
  @IsString()
  @IsNotEmpty()
  @Matches(/\S/, { message: "body can't be blank" })
  @MaxLength(COMMENT_MAX_LENGTH)
  body: string;
}

export class NewCommentRequestDto {
  @ApiProperty({ type: NewCommentDto })
  @IsEnvelope(() => NewCommentDto)
  comment: NewCommentDto;
}
