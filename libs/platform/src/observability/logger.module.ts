import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Global, Inject, Injectable, Module, type DynamicModule, type LoggerService } from '@nestjs/common';
import { ClsServiceManager } from 'nestjs-cls';
import { pino, type Level, type Logger as Pino } from 'pino';
import type { AppConfig } from '../config/config.schema';
import { activeTraceFields } from './trace-context';

const REQUEST_ID = /^[\w.:@-]{1,128}$/;

/** The process's pino instance; everything, including Nest's `Logger`, writes through it. */
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

/** Accepts a well-formed X-Request-Id or makes one, and echoes it on the response. */
export function requestIdFor(req: IncomingMessage, res: ServerResponse): string {
  const incoming = req.headers['x-request-id'];
  const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
}

/**
 * The request id of the async context a line is written in, and the active trace's ids (`trace_id`,
 * `span_id`) when tracing is on. The id lives in the one per-request store (nestjs-cls, see
 * `requestContext`), so no child logger and no second AsyncLocalStorage is made per request. pino
 * merges the returned object into the line (and mutates it): a fresh one each time.
 */
function requestIdMixin(): { requestId?: string; trace_id?: string; span_id?: string } {
  const id = ClsServiceManager.getClsService().getId();
  const fields = activeTraceFields();
  if (id) return { requestId: id, ...fields };
  return fields;
}

export function pinoOptions(config: AppConfig, name: string) {
  return {
    name,
    level: config.LOG_LEVEL,
    mixin: requestIdMixin,
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.token'], censor: '[redacted]' },
    ...(config.LOG_FORMAT === 'pretty'
      ? { transport: { target: 'pino-pretty', options: { singleLine: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } } }
      : {}),
  };
}

/** How long an info line may wait in the buffer at most. */
const FLUSH_INTERVAL_MS = 250;
const WARN = 40;

/**
 * Where JSON lines go (stdout). At info and above they are buffered and written 4 KB at a time: one
 * write per line was the largest part of the request log's cost, and a write's completion is one
 * more turn of the event loop. A line waits at most FLUSH_INTERVAL_MS; warnings and errors are
 * written at once, and everything buffered is written when the process exits (flushSync on
 * 'exit'), so only a SIGKILL can lose lines, at most the last 4 KB. At debug and trace, every
 * line is written as it comes, as before.
 */
function destinationFor(config: AppConfig) {
  if (config.LOG_LEVEL === 'debug' || config.LOG_LEVEL === 'trace') return pino.destination({ dest: 1, sync: false });
  const out = pino.destination({ dest: 1, sync: false, minLength: 4096 });
  setInterval(() => out.flush(), FLUSH_INTERVAL_MS).unref();
  // This wrapper hides the stream from pino's own exit flush: write what is buffered on the way out.
  process.once('exit', () => {
    try {
      out.flushSync();
    } catch {
      // A write still in progress: sonic-boom finishes it synchronously itself on exit.
    }
  });
  // pino sets lastLevel on a stream that asks for metadata, just before each write.
  return {
    [Symbol.for('pino.metadata')]: true,
    lastLevel: 0,
    write(line: string) {
      out.write(line);
      if (this.lastLevel >= WARN) out.flush();
    },
    flush: (cb?: (error?: Error) => void) => out.flush(cb),
  };
}

export function createRootLogger(config: AppConfig, name: string): Pino {
  return config.LOG_FORMAT === 'pretty' ? pino(pinoOptions(config, name)) : pino(pinoOptions(config, name), destinationFor(config));
}

type NestLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

/**
 * Nest's `LoggerService` on pino: what `new Logger('Context').warn(…)` anywhere in the apps ends up
 * in. Same contract as nestjs-pino's `Logger`, which this replaces: the last extra argument is the
 * context, an object message is merged into the line, an Error becomes `err`.
 */
@Injectable()
export class AppLogger implements LoggerService {
  constructor(@Inject(ROOT_LOGGER) private readonly pino: Pino) {}

  verbose(message: unknown, ...optionalParams: unknown[]): void {
    this.call('trace', message, optionalParams);
  }
  debug(message: unknown, ...optionalParams: unknown[]): void {
    this.call('debug', message, optionalParams);
  }
  log(message: unknown, ...optionalParams: unknown[]): void {
    this.call('info', message, optionalParams);
  }
  warn(message: unknown, ...optionalParams: unknown[]): void {
    this.call('warn', message, optionalParams);
  }
  error(message: unknown, ...optionalParams: unknown[]): void {
    this.call('error', message, optionalParams);
  }
  fatal(message: unknown, ...optionalParams: unknown[]): void {
    this.call('fatal', message, optionalParams);
  }

  private call(level: NestLevel, message: unknown, optionalParams: unknown[]): void {
    if (!this.pino.isLevelEnabled(level as Level)) return;
    const fields: Record<string, unknown> = {};
    let params: unknown[] = [];
    if (optionalParams.length > 0) {
      fields.context = optionalParams[optionalParams.length - 1];
      params = optionalParams.slice(0, -1);
    }
    const write = this.pino[level].bind(this.pino) as (obj: object, msg?: unknown, ...args: unknown[]) => void;
    if (typeof message === 'object' && message !== null) {
      if (message instanceof Error) fields.err = message;
      else Object.assign(fields, message);
      write(fields, ...params);
    } else if (level === 'error' && typeof message === 'string' && params.length === 1 && typeof params[0] === 'string' && /\n\s*at /.test(params[0])) {
      // Nest's own exception handlers call error(message, stack, context).
      const err = new Error(message);
      err.stack = params[0];
      fields.err = err;
      write(fields);
    } else {
      write(fields, message, ...params);
    }
  }
}

@Global()
@Module({})
export class LoggerModule {}

/** pino for both apps; in the api every line written during a request carries its request id. */
export function createLoggerModule(config: AppConfig, name: 'api' | 'worker'): DynamicModule {
  return {
    module: LoggerModule,
    providers: [{ provide: ROOT_LOGGER, useValue: createRootLogger(config, name) }, AppLogger],
    exports: [ROOT_LOGGER, AppLogger],
  };
}
