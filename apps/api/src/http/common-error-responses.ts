import type { OpenAPIObject, ResponsesObject } from '@nestjs/swagger';

const ERROR_BODY = { content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorResponseDto' } } } };
const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/**
 * The Idempotency-Key header on every POST, PUT and DELETE under /api (the idempotency
 * interceptor serves them all), and the header that marks a replayed answer.
 */
export function addIdempotencyKeyHeader(document: OpenAPIObject): OpenAPIObject {
  for (const [path, item] of Object.entries(document.paths)) {
    if (!path.startsWith('/api/')) continue;
    for (const method of ['post', 'put', 'delete'] as const) {
      const operation = item[method];
      if (!operation) continue;
      operation.parameters = [
        ...(operation.parameters ?? []),
        {
          name: 'Idempotency-Key',
          in: 'header',
          required: false,
          description:
            'Makes a retry safe: a retry with the same key and the same request gets the first answer again (with `Idempotent-Replayed: true`) ' +
            'without the work being done twice; the same key with another request is a 422; while the first is running, a 409. ' +
            'Any unique string (a UUID), as an sf-string ("8e03978e-40d5-43e8-bc93-6894a57f9324") or bare; kept 24 h (IDEMPOTENCY_KEY_TTL_SECONDS). ' +
            'See docs/api.md#idempotency-key.',
          // No example: Swagger UI fills a parameter's example in, and every try-out would share that one key.
          schema: { type: 'string', maxLength: 257 },
        },
      ];
      for (const [status, response] of Object.entries(operation.responses)) {
        if (!status.startsWith('2') || response === undefined || '$ref' in response) continue;
        response.headers = {
          ...(response.headers ?? {}),
          'Idempotent-Replayed': {
            description: 'true when this answer is the replay of an earlier request with the same Idempotency-Key',
            schema: { type: 'string', enum: ['true'] },
          },
        };
      }
    }
  }
  return document;
}

/**
 * Errors any operation under /api can answer, whatever its controller says,
 * because the layers in front of every controller produce them: the rate
 * limiter (429), PostgreSQL being unreachable (503), the body parser (400
 * malformed JSON, 413 too large, 415 not JSON), the router (400 for a path that
 * is not valid percent-encoded UTF-8) and the pipe that refuses NUL and lone
 * surrogates in paths and queries (422). Documented here once, so clients
 * (and the typed client) know them for every operation.
 */
export function addCommonErrorResponses(document: OpenAPIObject): OpenAPIObject {
  for (const [path, item] of Object.entries(document.paths)) {
    if (!path.startsWith('/api/')) continue;
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const responses: ResponsesObject = operation.responses;
      const add = (status: number, description: string) => {
        responses[status] ??= { description, ...ERROR_BODY };
      };
      add(429, 'Too many requests from this address (Retry-After says when to try again)');
      add(503, 'The database is temporarily unavailable; try again');
      if (operation.requestBody) {
        add(400, 'The body is not valid JSON');
        add(413, 'The body is larger than the configured limit');
        add(415, 'The body is not JSON');
      }
      if (method === 'post' || method === 'put' || method === 'delete') {
        add(400, 'The Idempotency-Key header is malformed');
        add(409, 'A request with this Idempotency-Key is still being processed (Retry-After says when to retry)');
        add(422, 'This Idempotency-Key was used for a different request');
      }
      if ((operation.parameters ?? []).length > 0) {
        add(400, 'A path value is not valid percent-encoded UTF-8');
        add(422, 'A path or query value is invalid (e.g. contains a NUL character)');
      }
    }
  }
  return document;
}
