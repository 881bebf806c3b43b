import { Injectable, PipeTransform } from '@nestjs/common';
import { notFound, unprocessable } from '@app/errors';

const MAX_INT4 = 2_147_483_647;

/** Comment ids are positive integers; ids beyond the column's range cannot exist (404, not a driver error). */
@Injectable()
export class CommentIdPipe implements PipeTransform<string, number> {
  transform(value: string): number {
    if (!/^\d{1,20}$/.test(value)) throw unprocessable('id must be a positive integer');
    const id = Number(value);
    if (id < 1 || id > MAX_INT4) throw notFound(`comment ${value} not found`);
    return id;
  }
}
