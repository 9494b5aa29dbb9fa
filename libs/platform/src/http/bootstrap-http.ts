import { withExamples } from './openapi-examples';
import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import helmet from 'helmet';
import type { Logger as Pino } from 'pino';
import type { AppConfig } from '../config/config.schema';
import { requestContext } from '../context/async-context.module';
import { ROOT_LOGGER } from '../observability/logger.module';
import { Metrics } from '../observability/metrics';
import { API_VERSION } from './deprecation';
import { requestEntry } from './request-pipeline';

export const API_PREFIX = 'v1';

/** Settings shared by the real server, the OpenAPI export and the tests, so they cannot drift. */
export function configureHttpApp(app: NestExpressApplication, config: AppConfig): void {
  app.set('trust proxy', config.TRUST_PROXY);
  app.set('x-powered-by', false);
  // Hashing every JSON body for a weak ETag nobody sends back; versioned resources set their own
  // (W/"<version>"), and If-None-Match still answers 304 against those.
  app.set('etag', false);
  let logger: Pino | undefined;
  let metrics: Metrics | undefined;
  // First, so even a request whose body cannot be parsed is answered with its request id.
  app.use(
    requestEntry({
      logRequests: config.HTTP_LOG_REQUESTS,
      logger: () => (logger ??= app.get<Pino>(ROOT_LOGGER)),
      metrics: () => (metrics ??= app.get<Metrics>(Metrics)),
      // Swagger UI and the console need their own scripts and styles; nothing else is served as HTML.
      pageHeaders: helmet({
        contentSecurityPolicy: { directives: { 'script-src': ["'self'", "'unsafe-inline'"], 'img-src': ["'self'", 'data:', 'https:'] } },
      }),
    }),
  );
  app.useBodyParser('json', { limit: config.BODY_LIMIT, type: ['application/json', 'application/*+json'] });
  const exposedHeaders = [
    'X-Request-Id', 'ETag', 'Location', 'Allow', 'Idempotent-Replayed', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset', 'Retry-After',
    'API-Version', 'Deprecation', 'Sunset', 'Link',
  ];
  const configured = { origin: config.CORS_ORIGINS.includes('*') ? true : config.CORS_ORIGINS, exposedHeaders };
  // Public, credential-less routes embedded on customers' own sites (the web chat widget) answer
  // CORS for any origin; each of them checks the Origin against its owner's list itself.
  const embeddable = { origin: true, credentials: false, exposedHeaders, allowedHeaders: ['authorization', 'content-type'], maxAge: 600 };
  app.enableCors((req: { url?: string }, callback: (error: Error | null, options: typeof configured | typeof embeddable) => void) =>
    callback(null, req.url?.startsWith(`/${API_PREFIX}/public/`) ? embeddable : configured),
  );
  // The one async-context store per request, entered once the body is read.
  app.use(requestContext());
  app.setGlobalPrefix(API_PREFIX, { exclude: ['metrics'] });
}

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const spec = new DocumentBuilder()
    .setTitle('Switchboard API')
    .setDescription(
      'Help desk and field service in one multi-tenant backend. Errors are application/problem+json; ' +
        'lists use cursor pagination ({ data, nextCursor }); POST and PATCH accept an Idempotency-Key.',
    )
    .setVersion(API_VERSION)
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'The PLATFORM_ADMIN_KEY' }, 'platform-admin')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An access token from POST /v1/auth/login, or an API key (sb_live_…)' }, 'tenant')
    .build();
  const document = SwaggerModule.createDocument(app, spec, { operationIdFactory: (controller, method) => `${controller.replace(/Controller$/, '')}_${method}` });
  return withExamples(withProblemResponses(document));
}

const PROBLEM_SCHEMA = {
  type: 'object',
  description: 'RFC 9457 problem details; every error of this API has this shape.',
  required: ['type', 'title', 'status', 'detail'],
  properties: {
    type: { type: 'string', format: 'uri', example: 'https://switchboard.dev/problems/validation-failed' },
    title: { type: 'string', example: 'Bad Request' },
    status: { type: 'integer', example: 400 },
    detail: { type: 'string', example: 'name: must be shorter than or equal to 200 characters.' },
    instance: { type: 'string', example: '/v1/admin/tenants' },
    requestId: { type: 'string', description: 'Also in the X-Request-Id header and in every log line' },
    errors: {
      type: 'array',
      items: { type: 'object', required: ['field', 'message'], properties: { field: { type: 'string' }, message: { type: 'string' } } },
    },
  },
} as const;

/** Documents the error shape once and points every operation's error answers at it. */
function withProblemResponses(document: OpenAPIObject): OpenAPIObject {
  document.components = { ...document.components, schemas: { ...document.components?.schemas, ProblemDetails: PROBLEM_SCHEMA as never } };
  const problem = { 'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDetails' } } };
  for (const item of Object.values(document.paths)) {
    for (const operation of Object.values(item as Record<string, { responses?: Record<string, { description: string; content?: unknown }> }>)) {
      if (!operation || typeof operation !== 'object' || !operation.responses) continue;
      for (const [status, response] of Object.entries(operation.responses)) {
        if (/^[45]\d\d$/.test(status) && !response.content) response.content = problem;
      }
      operation.responses.default ??= { description: 'An error (problem+json)', content: problem };
    }
  }
  return document;
}

export function mountOpenApi(app: INestApplication, document: OpenAPIObject): void {
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', customSiteTitle: 'Switchboard API' });
}
