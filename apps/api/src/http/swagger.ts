import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { TOKEN_SECURITY_SCHEME } from '@app/auth';
import { addCommonErrorResponses, addIdempotencyKeyHeader } from './common-error-responses';

/**
 * The groups of the public document in the order a user meets them: the RealWorld API (users,
 * profiles, articles and their favorites, comments, tags), then what this service adds.
 */
const PUBLIC_TAGS = ['User and Authentication', 'Profile', 'Articles', 'Favorites', 'Comments', 'Tags', 'Notifications', 'Webhooks'];

/** Everything the controllers describe, before it is split into the public and the operators' documents. */
function buildWholeDocument(app: INestApplication): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle('Conduit API')
    .setDescription(
      'The RealWorld Conduit API (spec 1.1.0). Register or log in, copy the `token` from the response, ' +
        'click **Authorize** and enter `Token <token>` (or `Bearer <token>`). Errors always have the shape ' +
        '`{"errors":{"body":["..."]}}`.',
    )
    .setVersion('1.1.0')
    .addServer('/')
    .addApiKey(
      { type: 'apiKey', in: 'header', name: 'Authorization', description: 'Enter `Token <jwt>` (a `Bearer <jwt>` works too).' },
      TOKEN_SECURITY_SCHEME,
    );
  for (const tag of PUBLIC_TAGS) builder.addTag(tag);
  return addIdempotencyKeyHeader(addCommonErrorResponses(SwaggerModule.createDocument(app, builder.build())));
}

/** `document` with only the paths `keep` accepts (the schemas are shared by both). */
function withPaths(document: OpenAPIObject, keep: (path: string) => boolean, changes: Partial<OpenAPIObject>): OpenAPIObject {
  return { ...document, ...changes, paths: Object.fromEntries(Object.entries(document.paths).filter(([path]) => keep(path))) };
}

const isPublic = (path: string) => path.startsWith('/api/');

/**
 * The public document: what the gateway routes (/api), served at /docs and committed as
 * openapi/openapi.json (the contract of the typed client).
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  return withPaths(buildWholeDocument(app), isPublic, {});
}

/**
 * The operators' document: health and metrics, which the gateway does not route; served on each
 * instance's own port at /internal/docs (docs/operations.md).
 */
export function buildOperatorsDocument(app: INestApplication): OpenAPIObject {
  const whole = buildWholeDocument(app);
  return withPaths(whole, (path) => !isPublic(path), {
    info: { ...whole.info, title: 'Conduit API: operators', description: 'Health and metrics of one instance (not routed by the gateway).' },
    tags: [{ name: 'Health' }, { name: 'Prometheus' }],
  });
}

/** Swagger UI at /docs (the JSON document at /docs-json), and the operators' at /internal/docs. */
export function setupSwagger(app: INestApplication): void {
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: 'docs-json',
    swaggerOptions: { persistAuthorization: true },
    customSiteTitle: 'Conduit API',
  });
  SwaggerModule.setup('internal/docs', app, () => buildOperatorsDocument(app), {
    jsonDocumentUrl: 'internal/docs-json',
    customSiteTitle: 'Conduit API: operators',
  });
}
