import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { buildOpenApiDocument, configureHttpApp, mountOpenApi, type AppConfig } from '@switchboard/platform';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';

/** The configured api, not yet listening: shared by main.ts and the OpenAPI export. */
export async function createApi(config: AppConfig, options: { preview?: boolean } = {}): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    bufferLogs: true,
    bodyParser: false,
    abortOnError: false,
    preview: options.preview ?? false,
  });
  if (!options.preview) app.useLogger(app.get(Logger));
  configureHttpApp(app, config);
  mountOpenApi(app, buildOpenApiDocument(app));
  return app;
}
