import { Injectable, PipeTransform } from '@nestjs/common';
import { notFound, unprocessable } from '@app/errors';

const MAX_INT4 = 2_147_483_647;

/** Webhook ids are positive integers within the column's range (beyond it: 404). */
@Injectable()
export class WebhookIdPipe implements PipeTransform<string | number, number> {
  transform(value: string | number): number {
    const id = typeof value === 'number' ? value : /^\d+$/.test(value) ? Number(value) : NaN;
    if (!Number.isInteger(id) || id < 1) throw unprocessable('id must be a positive integer');
    if (id > MAX_INT4) throw notFound(`webhook ${String(value)} not found`);
    return id;
  }
}
