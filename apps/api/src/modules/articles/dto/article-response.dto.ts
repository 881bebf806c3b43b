import { NextCursorProperty } from '@app/paging';
import { ApiProperty } from '@nestjs/swagger';
import { ProfileDto } from '../../profiles';

/** A list item: everything but the body. */
export class ArticleSummaryDto {
  @ApiProperty({ example: 'how-to-train-your-dragon' })
  slug: string;

  @ApiProperty({ example: 'How to train your dragon' })
  title: string;

  @ApiProperty({ example: 'Ever wonder how?' })
  description: string;

  @ApiProperty({ type: [String], example: ['dragons', 'training'], description: 'Sorted alphabetically' })
  tagList: string[];

  @ApiProperty({ format: 'date-time', example: '2016-02-18T03:22:56.637Z' })
  createdAt: string;

  @ApiProperty({ format: 'date-time', example: '2016-02-18T03:48:35.824Z' })
  updatedAt: string;

  @ApiProperty({ example: false })
  favorited: boolean;

  @ApiProperty({ example: 0 })
  favoritesCount: number;

  @ApiProperty({ type: ProfileDto })
  author: ProfileDto;
}

export class ArticleDto extends ArticleSummaryDto {
  @ApiProperty({ example: 'It takes a Jacobian' })
  body: string;
}

export class SingleArticleResponseDto {
  @ApiProperty({ type: ArticleDto })
  article: ArticleDto;
}

export class MultipleArticlesResponseDto {
  @ApiProperty({ type: [ArticleSummaryDto] })
  articles: ArticleSummaryDto[];

  @ApiProperty({ example: 1, description: 'How many articles match the filters in all (not only this page)' })
  articlesCount: number;

  @NextCursorProperty()
  nextCursor: string | null;
}
