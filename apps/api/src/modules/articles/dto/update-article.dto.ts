import { IsEnvelope } from '@app/errors';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsArticleBody, IsArticleDescription, IsArticleTitle, IsTagList } from './article-fields';

export class UpdateArticleDto {
  @ApiPropertyOptional({ example: 'Did you train your dragon?', description: 'A new title also gives the article a new slug' })
  @IsOptional()
  @IsArticleTitle()
  title?: string;

  @ApiPropertyOptional({ example: 'Ever wonder how?' })
  @IsOptional()
  @IsArticleDescription()
  description?: string;

  @ApiPropertyOptional({ example: 'With two hands' })
  @IsOptional()
  @IsArticleBody()
  body?: string;

  @ApiPropertyOptional({ type: [String], description: 'Replaces the tags (an extension; omit to keep them)' })
  @IsOptional()
  @IsTagList()
  tagList?: string[];
}

export class UpdateArticleRequestDto {
  @ApiProperty({ type: UpdateArticleDto, description: 'At least one field is required' })
  @IsEnvelope(() => UpdateArticleDto)
  article: UpdateArticleDto;
}
