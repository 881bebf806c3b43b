import { Injectable, PipeTransform } from '@nestjs/common';
import { notFound, unprocessable } from '@app/errors';

const MAX_INT4 = 2_147_483_647;

/**
 * Comment ids are positive integers; ids beyond the column's range cannot
 * exist (404, never a driver error). The global ValidationPipe may already
 * have turned the path segment into a number, so both forms are handled.
 */
@Injectable()
export class CommentIdPipe implements PipeTransform<string | number, number> {
  transform(value: string | number): number {
    const id = typeof value === 'number' ? value : /^\d+$/.test(value) ? Number(value) : NaN;
    if (!Number.isInteger(id) || id < 1) throw unprocessable('id must be a positive integer');
    if (id > MAX_INT4) throw notFound(`comment ${String(value)} not found`);
    return id;
  }
}
