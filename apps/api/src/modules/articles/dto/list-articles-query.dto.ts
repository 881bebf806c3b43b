import { ApiPropertyOptional } from '@nestjs/swagger';
import { PageQueryDto } from '@app/paging';
import { IsOptional, IsString, MaxLength } from 'class-validator';

export class ListArticlesQueryDto extends PageQueryDto {
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
}
