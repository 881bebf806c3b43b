import { NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { ApiExceptionFilter } from './api-exception.filter';
import { unprocessable } from './api-errors';

const filter = new ApiExceptionFilter();
const pgError = (code: string, constraint?: string) => new QueryFailedError('SELECT 1', [], Object.assign(new Error('db says no'), { code, constraint }));

describe('ApiExceptionFilter.describe', () => {
  it('keeps API errors as they are and reshapes framework errors', () => {
    expect(filter.describe(unprocessable('title is required'))).toEqual({ status: 422, body: { errors: { body: ['title is required'] } } });
    expect(filter.describe(new NotFoundException('Cannot GET /x'))).toEqual({ status: 404, body: { errors: { body: ['Cannot GET /x'] } } });
    expect(filter.describe(new UnprocessableEntityException(['a is bad', 'b is bad']))).toEqual({
      status: 422,
      body: { errors: { body: ['a is bad', 'b is bad'] } },
    });
  });

  it('maps body-parser failures to 400, 413 and 415', () => {
    expect(filter.describe({ type: 'entity.parse.failed', status: 400 }).status).toBe(400);
    expect(filter.describe({ type: 'entity.too.large', status: 413, limit: 1024 })).toEqual({
      status: 413,
      body: { errors: { body: ['request body is larger than the limit of 1024 bytes'] } },
    });
    expect(filter.describe({ type: 'charset.unsupported', status: 415 }).status).toBe(415);
  });

  it('maps database errors that escaped the services without leaking SQL', () => {
    expect(filter.describe(pgError('23505', 'x_unique')).status).toBe(422);
    expect(filter.describe(pgError('22021')).status).toBe(422);
    expect(filter.describe(pgError('23503')).status).toBe(404);
    expect(filter.describe(pgError('57014')).status).toBe(503);
    expect(filter.describe(pgError('08006')).status).toBe(503);
    expect(JSON.stringify(filter.describe(pgError('23505')).body)).not.toContain('SELECT');
  });

  it('hides unknown errors behind a generic 500', () => {
    expect(filter.describe(new Error('secret internals at /srv/app.ts:12'))).toEqual({ status: 500, body: { errors: { body: ['internal server error'] } } });
  });
});
