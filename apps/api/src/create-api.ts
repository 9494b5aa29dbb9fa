import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppLogger, buildOpenApiDocument, EarlyRateLimit, configureHttpApp, mountOpenApi, ProblemDetailsFilter, type AppConfig } from '@switchboard/platform';
import type { Request, Response } from 'express';
import { AppModule } from './app.module';
import { mountConsole } from './console/mount-console';
import { RedisIoAdapter } from './realtime/redis-io.adapter';
import { mountWidget } from './widget/mount-widget';

/** The configured api, initialised but not listening: shared by main.ts and the OpenAPI export. */
export async function createApi(config: AppConfig, options: { preview?: boolean } = {}): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    bufferLogs: true,
    bodyParser: false,
    // Signed webhooks (WhatsApp's X-Hub-Signature-256) are verified over the bytes as sent.
    rawBody: true,
    abortOnError: false,
    preview: options.preview ?? false,
  });
  configureHttpApp(app, config);
  if (options.preview) return app;
  app.useWebSocketAdapter(await RedisIoAdapter.connect(app, config));
  mountConsole(app);
  mountWidget(app);
  app.useLogger(app.get(AppLogger));
  mountOpenApi(app, buildOpenApiDocument(app));
  await app.init();
  // Ahead of express (and Socket.IO's listener): a tenant over its budget is refused before its body is read.
  app.get(EarlyRateLimit).attach(app.getHttpServer());
  // Paths outside the /v1 prefix never reach Nest's not-found handler; answer them the same way.
  const problems = new ProblemDetailsFilter();
  app.use((req: Request, res: Response) => problems.send(req as Request & { id?: string }, res, problems.notFound(req)));
  return app;
}
