import { IsEnvelope } from '@app/errors';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsArticleBody, IsArticleDescription, IsArticleTitle, IsTagList, TAGS_MAX_COUNT } from './article-fields';

export class NewArticleDto {
  @ApiProperty({ example: 'How to train your dragon', maxLength: 255 })
  @IsArticleTitle()
  title: string;

  @ApiProperty({ example: 'Ever wonder how?', maxLength: 1024 })
  @IsArticleDescription()
  description: string;

  @ApiProperty({ example: 'You have to believe' })
  @IsArticleBody()
  body: string;

  @ApiPropertyOptional({ type: [String], example: ['reactjs', 'angularjs', 'dragons'], maxItems: TAGS_MAX_COUNT })
  @IsOptional()
  @IsTagList()
  tagList?: string[];
}

export class NewArticleRequestDto {
  @ApiProperty({ type: NewArticleDto })
  @IsEnvelope(() => NewArticleDto)
  article: NewArticleDto;
}
