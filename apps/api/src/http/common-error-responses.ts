import type { OpenAPIObject, ResponsesObject } from '@nestjs/swagger';

const ERROR_BODY = { content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorResponseDto' } } } };
const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

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
      if ((operation.parameters ?? []).length > 0) {
        add(400, 'A path value is not valid percent-encoded UTF-8');
        add(422, 'A path or query value is invalid (e.g. contains a NUL character)');
      }
    }
  }
  return document;
}
