import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { MAX_CURSOR_LENGTH } from './page-cursors';

export const DEFAULT_PAGE_LIMIT = 20;
export const MAX_PAGE_LIMIT = 100;
/** Deeper offsets are refused: nobody pages that far, and each one costs a scan. */
export const MAX_PAGE_OFFSET = 1_000_000;

/** Only plain decimal digits become numbers; anything else stays as sent and fails `IsInt`. */
const toInteger = ({ value }: { value: unknown }) => (typeof value === 'string' && /^-?\d{1,15}$/.test(value) ? Number(value) : value);

/** `limit` and `offset` query parameters shared by every paged list. */
export class PageQueryDto {
  @ApiPropertyOptional({ description: 'Number of items to return', minimum: 1, maximum: MAX_PAGE_LIMIT, default: DEFAULT_PAGE_LIMIT })
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_LIMIT)
  limit: number = DEFAULT_PAGE_LIMIT;

  @ApiPropertyOptional({ description: 'Number of items to skip', minimum: 0, maximum: MAX_PAGE_OFFSET, default: 0 })
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(0)
  @Max(MAX_PAGE_OFFSET)
  offset: number = 0;
}

export interface Page {
  readonly limit: number;
  readonly offset: number;
}

const CURSOR_DESCRIPTION =
  'Where to go on from: the `nextCursor` of the previous page, unchanged (opaque; a cursor edited, made up or taken from another list is a 422). ' +
  'Walking the cursors returns every item once, even while new ones are added. Not combined with `offset`.';

/** A cursor is read by the list that issued it (PageCursors); here only its form is checked. */
const CursorProperty = () =>
  applyDecorators(
    ApiPropertyOptional({ description: CURSOR_DESCRIPTION, maxLength: MAX_CURSOR_LENGTH }),
    IsOptional(),
    IsString(),
    MaxLength(MAX_CURSOR_LENGTH),
  );

/** `limit`, `offset` and `cursor`: a paged list that also pages by cursor. */
export class CursorPageQueryDto extends PageQueryDto {
  @CursorProperty()
  cursor?: string;
}

/** `limit` (none by default: the whole list) and `cursor`, for lists the contract returns whole (comments). */
export class OptionalPageQueryDto {
  @ApiPropertyOptional({ description: 'Number of items to return (default: all of them)', minimum: 1, maximum: MAX_PAGE_LIMIT })
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_LIMIT)
  limit?: number;

  @CursorProperty()
  cursor?: string;
}

/** The `nextCursor` field of a list answer. */
export const NextCursorProperty = () =>
  ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `cursor` for the page after this one; null on the last page',
    example: 'WyIxNzY0ODUyMDAwMDAwMDAwIiwxMl0.3q2-7wAAAAAAAAAAAAAAAA',
  });
