import { PipeTransform } from '@nestjs/common';
import { notFound, unprocessable } from './api-errors';

const MAX_INT4 = 2_147_483_647;

/**
 * A path id of an integer-keyed row (`@Param('id', new RowIdPipe('comment'))`):
 * a positive integer, else 422; beyond the column's range it cannot exist
 * (404, never a driver error). The global ValidationPipe may already have
 * turned the segment into a number, so both forms are handled.
 */
export class RowIdPipe implements PipeTransform<string | number, number> {
  constructor(private readonly what: string) {}

  transform(value: string | number): number {
    const id = typeof value === 'number' ? value : /^\d+$/.test(value) ? Number(value) : NaN;
    if (!Number.isInteger(id) || id < 1) throw unprocessable('id must be a positive integer');
    if (id > MAX_INT4) throw notFound(`${this.what} ${String(value)} not found`);
    return id;
  }
}
