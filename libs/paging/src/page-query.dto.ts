import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

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
