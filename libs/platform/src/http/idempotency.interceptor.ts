import { createHash } from 'node:crypto';
import {
  HttpException,
  Inject,
  Injectable,
  Logger,
  RequestMethod,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { INTERCEPTORS_METADATA, METHOD_METADATA } from '@nestjs/common/constants';
import { MetadataScanner, type ModulesContainer } from '@nestjs/core';
import type { Response } from 'express';
import type { Redis } from 'ioredis';
import { from, mergeMap, type Observable } from 'rxjs';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config.schema';
import { REDIS } from '../redis/redis.module';
import { ProblemException } from './problem';
import type { SwitchboardRequest } from './request-context';

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
const IN_FLIGHT_TTL_MS = 60_000;
const REPLAYED_HEADERS = ['content-type', 'location', 'etag'] as const;

interface StoredResponse {
  state: 'done';
  fingerprint: string;
  status: number;
  headers: Record<string, string>;
  body: string;
}
interface InFlight {
  state: 'in-flight';
  fingerprint: string;
}

/** Sorted keys, so the same body sent with another key order is the same request. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function requestFingerprint(method: string, path: string, body: unknown): string {
  return createHash('sha256').update(`${method} ${path}\n${canonicalJson(body ?? null)}`).digest('hex');
}

/** Sends the first response again, byte for byte; raised instead of running the handler. */
export class IdempotentReplay extends HttpException {
  constructor(readonly stored: StoredResponse) {
    super('replay', stored.status);
  }

  sendTo(res: Response): void {
    for (const [name, value] of Object.entries(this.stored.headers)) res.setHeader(name, value);
    res.setHeader('Idempotent-Replayed', 'true');
    res.status(this.stored.status).send(this.stored.body);
  }
}

/**
 * `Idempotency-Key` on POST and PATCH (bound to those routes only, see `bindIdempotency`), scoped
 * to the caller: the first response (below 500) is kept for IDEMPOTENCY_TTL_SECONDS and replayed;
 * the same key with another body is a 422; a duplicate arriving while the first still runs is a
 * 409. A 5xx releases the key for a retry.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly logger = new Logger(IdempotencyInterceptor.name);

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const req = context.switchToHttp().getRequest<SwitchboardRequest>();
    // A route bound to both (`@All`, HEAD on a GET) still only applies the key to the two methods.
    if (req.method !== 'POST' && req.method !== 'PATCH') return next.handle();
    const res = context.switchToHttp().getResponse<Response>();
    const key = req.headers['idempotency-key'];
    if (key === undefined) return next.handle();
    if (typeof key !== 'string' || !KEY_PATTERN.test(key)) {
      throw new ProblemException({
        status: 400,
        type: 'invalid-idempotency-key',
        title: 'Bad Request',
        detail: 'Idempotency-Key must be 1 to 255 visible ASCII characters.',
      });
    }
    // The same user acting in another tenant is another caller: keys never cross tenants.
    const scope = req.principal ? `${req.principal.kind}:${req.principal.tenantId ?? '-'}:${req.principal.id}` : `ip:${req.ip}`;
    const redisKey = `${this.config.QUEUE_PREFIX}:idem:${createHash('sha256').update(`${scope}\n${key}`).digest('base64url')}`;
    const fingerprint = requestFingerprint(req.method, req.originalUrl.split('?')[0], req.body);
    return from(this.claim(redisKey, fingerprint)).pipe(
      mergeMap(() => {
        this.captureResponse(res, redisKey, fingerprint);
        return next.handle();
      }),
    );
  }

  private async claim(redisKey: string, fingerprint: string): Promise<void> {
    const marker: InFlight = { state: 'in-flight', fingerprint };
    const claimed = await this.redis.set(redisKey, JSON.stringify(marker), 'PX', IN_FLIGHT_TTL_MS, 'NX');
    if (claimed === 'OK') return;
    const raw = await this.redis.get(redisKey);
    if (raw === null) return this.claim(redisKey, fingerprint); // expired in between
    const existing = JSON.parse(raw) as StoredResponse | InFlight;
    if (existing.fingerprint !== fingerprint) {
      throw new ProblemException({
        status: 422,
        type: 'idempotency-key-reused',
        title: 'Unprocessable Content',
        detail: 'This Idempotency-Key was already used with a different request; use a new key for a new request.',
      });
    }
    if (existing.state === 'in-flight') {
      throw new ProblemException({
        status: 409,
        type: 'idempotency-key-in-flight',
        title: 'Conflict',
        detail: 'A request with this Idempotency-Key is still being processed; retry shortly.',
        headers: { 'Retry-After': '1' },
      });
    }
    throw new IdempotentReplay(existing);
  }

  /** Stores the response before it leaves, so a client that saw it and retries gets a replay. */
  private captureResponse(res: Response, redisKey: string, fingerprint: string): void {
    const send = res.send.bind(res);
    let captured = false;
    res.send = ((body?: unknown) => {
      if (captured) return send(body);
      captured = true;
      const status = res.statusCode;
      const persist =
        status >= 500
          ? this.redis.del(redisKey)
          : this.redis.set(redisKey, JSON.stringify(this.snapshot(res, fingerprint, body)), 'EX', this.config.IDEMPOTENCY_TTL_SECONDS);
      persist
        .catch((error: unknown) => this.logger.warn({ err: error }, 'Could not store the idempotent response'))
        .finally(() => send(body));
      return res;
    }) as Response['send'];
  }

  private snapshot(res: Response, fingerprint: string, body: unknown): StoredResponse {
    const headers: Record<string, string> = {};
    for (const name of REPLAYED_HEADERS) {
      const value = res.getHeader(name);
      if (value !== undefined) headers[name] = String(value);
    }
    const text = typeof body === 'string' ? body : Buffer.isBuffer(body) ? body.toString('utf8') : JSON.stringify(body ?? '');
    return { state: 'done', fingerprint, status: res.statusCode, headers, body: text };
  }
}

const WRITING_METHODS: ReadonlySet<RequestMethod> = new Set([RequestMethod.POST, RequestMethod.PATCH]);

/**
 * Binds the interceptor to every POST and PATCH handler of every controller, as if each carried
 * `@UseInterceptors`, so reads never enter it: a global interceptor would put Nest's rxjs
 * interceptor chain on every GET as well. Must run before the router is built (Nest reads
 * interceptor metadata once per route in `app.init()`), which a provider factory does: providers
 * are instantiated by `NestFactory.create`. It runs after the controller's own class-level
 * interceptors (there are none today). Returns how many handlers it bound.
 */
export function bindIdempotency(modules: ModulesContainer, interceptor: IdempotencyInterceptor): number {
  const scanner = new MetadataScanner();
  let bound = 0;
  for (const moduleRef of modules.values()) {
    for (const wrapper of moduleRef.controllers.values()) {
      const prototype = (wrapper.metatype as { prototype?: Record<string, unknown> } | null)?.prototype;
      if (!prototype) continue;
      for (const name of scanner.getAllMethodNames(prototype)) {
        const handler = prototype[name] as object;
        if (!WRITING_METHODS.has(Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod)) continue;
        // Another app built in the same process (tests) replaces the instance rather than adding one.
        const others = ((Reflect.getMetadata(INTERCEPTORS_METADATA, handler) as unknown[] | undefined) ?? []).filter((i) => !(i instanceof IdempotencyInterceptor));
        Reflect.defineMetadata(INTERCEPTORS_METADATA, [interceptor, ...others], handler);
        bound += 1;
      }
    }
  }
  return bound;
}
