import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';

export const API_KEY_SCHEME = 'api-key';

/**
 * Serves the CRM's OpenAPI document at /docs/openapi.json and Swagger UI at /docs,
 * without a key (the guard sits on controllers; these routes are the HTTP adapter's own).
 * The document is built on first request, from every controller the app has registered
 * (each tagged by its controller's name).
 */
export function serveCrmOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('CRM API')
    .setDescription('Contacts with read-only CDP enrichment, and the records sales teams work with. Every call takes `Authorization: Bearer <API key>`.')
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'A CRM API key; its role (admin, sales_rep, read_only, sync) bounds what it may do.' }, API_KEY_SCHEME)
    .addSecurityRequirements(API_KEY_SCHEME)
    .build();
  let document: OpenAPIObject | undefined;
  SwaggerModule.setup('docs', app, () => (document ??= SwaggerModule.createDocument(app, config)), {
    jsonDocumentUrl: 'docs/openapi.json',
    raw: ['json'],
    customSiteTitle: 'CRM API',
    swaggerOptions: { persistAuthorization: true },
  });
}
