import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { TOKEN_SECURITY_SCHEME } from '@app/auth';
import { addCommonErrorResponses } from './common-error-responses';

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Conduit API')
    .setDescription(
      'The RealWorld Conduit API (spec 1.1.0). Register or log in, copy the `token` from the response, ' +
        'click **Authorize** and enter `Token <token>` (or `Bearer <token>`). Errors always have the shape ' +
        '`{"errors":{"body":["..."]}}`.',
    )
    .setVersion('1.1.0')
    .addServer('/')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'Authorization', description: 'Enter `Token <jwt>` (a `Bearer <jwt>` works too).' }, TOKEN_SECURITY_SCHEME)
    .build();
  return addCommonErrorResponses(SwaggerModule.createDocument(app, config));
}

/** Swagger UI at /docs, the JSON document at /docs-json. */
export function setupSwagger(app: INestApplication): void {
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: 'docs-json',
    swaggerOptions: { persistAuthorization: true },
    customSiteTitle: 'Conduit API',
  });
}
