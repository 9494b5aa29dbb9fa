import type { IncomingMessage, ServerResponse } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import helmet from 'helmet';
import type { AppConfig } from '../config/config.schema';
import { requestIdFor } from '../observability/logger.module';

export const API_PREFIX = 'v1';

/** Settings shared by the real server, the OpenAPI export and the tests, so they cannot drift. */
export function configureHttpApp(app: NestExpressApplication, config: AppConfig): void {
  // First, so even a request whose body cannot be parsed is answered with its request id.
  app.use((req: IncomingMessage & { id?: string }, res: ServerResponse, next: () => void) => {
    req.id = requestIdFor(req, res);
    next();
  });
  app.set('trust proxy', 'loopback, linklocal, uniquelocal');
  app.set('x-powered-by', false);
  app.use(
    helmet({
      // Swagger UI and the console need their own scripts and styles; nothing else is served as HTML.
      contentSecurityPolicy: { directives: { 'script-src': ["'self'", "'unsafe-inline'"], 'img-src': ["'self'", 'data:', 'https:'] } },
    }),
  );
  app.useBodyParser('json', { limit: config.BODY_LIMIT, type: ['application/json', 'application/*+json'] });
  app.enableCors({
    origin: config.CORS_ORIGINS.includes('*') ? true : config.CORS_ORIGINS,
    exposedHeaders: ['X-Request-Id', 'ETag', 'Location', 'Idempotent-Replayed', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset', 'Retry-After'],
  });
  app.setGlobalPrefix(API_PREFIX, { exclude: ['metrics'] });
}

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const spec = new DocumentBuilder()
    .setTitle('Switchboard API')
    .setDescription(
      'Help desk and field service in one multi-tenant backend. Errors are application/problem+json; ' +
        'lists use cursor pagination ({ data, nextCursor }); POST and PATCH accept an Idempotency-Key.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'The PLATFORM_ADMIN_KEY' }, 'platform-admin')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An access token from POST /v1/auth/login, or an API key (sb_live_…)' }, 'tenant')
    .build();
  return SwaggerModule.createDocument(app, spec, { operationIdFactory: (controller, method) => `${controller.replace(/Controller$/, '')}_${method}` });
}

export function mountOpenApi(app: INestApplication, document: OpenAPIObject): void {
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', customSiteTitle: 'Switchboard API' });
}
