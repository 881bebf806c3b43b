import { IsEnvelope } from '@app/errors';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, ValidateIf } from 'class-validator';
import { IsArticleBody, IsArticleDescription, IsArticleTitle, IsTagList } from './article-fields';

export class UpdateArticleDto {
  @ApiPropertyOptional({ example: 'Did you train your dragon?', description: 'A new title also gives the article a new slug' })
  @ValidateIf((_object, value) => value !== undefined)
  @IsArticleTitle()
  title?: string;

  @ApiPropertyOptional({ example: 'Ever wonder how?' })
  @ValidateIf((_object, value) => value !== undefined)
  @IsArticleDescription()
  description?: string;

  @ApiPropertyOptional({ example: 'With two hands' })
  @ValidateIf((_object, value) => value !== undefined)
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
