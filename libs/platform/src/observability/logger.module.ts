import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { AppConfig } from '../config/config.schema';

const REQUEST_ID = /^[\w.:@-]{1,128}$/;

/** Accepts a well-formed X-Request-Id or makes one, and echoes it on the response. */
export function requestIdFor(req: IncomingMessage, res: ServerResponse): string {
  const incoming = req.headers['x-request-id'];
  const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
}

export function pinoOptions(config: AppConfig, name: string) {
  return {
    name,
    level: config.LOG_LEVEL,
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.token'], censor: '[redacted]' },
    ...(config.LOG_FORMAT === 'pretty'
      ? { transport: { target: 'pino-pretty', options: { singleLine: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } } }
      : {}),
  };
}

/** pino for both apps; in the api every line of a request carries its request id. */
export function createLoggerModule(config: AppConfig, name: 'api' | 'worker'): DynamicModule {
  return LoggerModule.forRoot({
    pinoHttp: {
      ...pinoOptions(config, name),
      genReqId: (req, res) => (req as IncomingMessage & { id?: string }).id ?? requestIdFor(req, res),
      // Probes and scrapes would drown the log (and cost a line each); everything else is logged.
      autoLogging: config.HTTP_LOG_REQUESTS ? { ignore: (req) => req.url === '/metrics' || (req.url ?? '').startsWith('/v1/health/') } : false,
      customProps: (req) => ({ requestId: (req as IncomingMessage & { id?: string }).id }),
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    },
  });
}
