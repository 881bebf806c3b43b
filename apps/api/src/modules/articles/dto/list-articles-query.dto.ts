import { ApiPropertyOptional } from '@nestjs/swagger';
import { CursorPageQueryDto } from '@app/paging';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { SEARCH_COUNT_LIMIT } from '../search-queries';
import { MAX_SEARCH_LENGTH, MAX_SEARCH_WORDS } from '../search-terms';

export class ListArticlesQueryDto extends CursorPageQueryDto {
  @ApiPropertyOptional({ description: 'Filter by tag', example: 'dragons' })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  tag?: string;

  @ApiPropertyOptional({ description: 'Filter by author (username)', example: 'jake' })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  author?: string;

  @ApiPropertyOptional({ description: 'Filter by favorites of a user (username)', example: 'jake' })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  favorited?: string;

  @ApiPropertyOptional({
    description:
      'Full-text search: articles whose title, description, body or tags hold every word (in any of its forms: "dragon" finds ' +
      `"dragons"; the last word also as the start of a longer one: "train drag" finds "training dragons"). Title matches first, then newest; \`articlesCount\` counts the matches ` +
      `up to ${SEARCH_COUNT_LIMIT} (a search that matches more says ${SEARCH_COUNT_LIMIT}). ` +
      `At most ${MAX_SEARCH_LENGTH} characters and ${MAX_SEARCH_WORDS} words; punctuation only separates words.`,
    example: 'train dragon',
    maxLength: MAX_SEARCH_LENGTH,
  })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_SEARCH_LENGTH)
  q?: string;
}
