import 'reflect-metadata';
import { Controller, Get, Headers, Module, Query, Res } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Response } from 'express';
import { createTicketsReader, type TicketsReader } from './tickets-read';

/**
 * The framework baseline of `bench http`: NestJS on its express adapter with nothing added — one
 * module, one controller, Nest's defaults (its JSON body parser included), no middleware, guards,
 * pipes, interceptors, filters or logging — serving the api's two measured routes. The tickets
 * read is the same code the raw node:http baseline runs (`tickets-read.ts`), so bare Nest vs raw
 * is the cost of the framework and api vs bare Nest the cost of the api's own pipeline.
 * Env: PORT, HOST, and DATABASE_URL + JWT_KEY (+ POOL_SIZE) for the tickets route.
 */
const tickets: TicketsReader | null =
  process.env.DATABASE_URL && process.env.JWT_KEY
    ? createTicketsReader({ databaseUrl: process.env.DATABASE_URL, jwtKey: process.env.JWT_KEY, poolSize: Number(process.env.POOL_SIZE ?? 10) })
    : null;

@Controller('v1')
class BenchController {
  @Get('health/live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('tickets')
  async list(@Headers('authorization') authorization: string | undefined, @Query('limit') limit: string | undefined, @Res({ passthrough: true }) res: Response): Promise<object> {
    if (!tickets) {
      res.status(404);
      return { status: 404 };
    }
    const { status, body } = await tickets.read(authorization, Number(limit ?? 25));
    res.status(status);
    return body;
  }
}

@Module({ controllers: [BenchController] })
class BenchModule {}

async function main(): Promise<void> {
  const app = await NestFactory.create<NestExpressApplication>(BenchModule, { logger: false });
  await app.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1');
  process.once('SIGTERM', () => {
    void app
      .close()
      .then(() => tickets?.close())
      .finally(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`bare nest failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
