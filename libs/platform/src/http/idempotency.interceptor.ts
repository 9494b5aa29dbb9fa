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
import type { RedisClient } from '../redis/redis-client';
import { ClsService } from 'nestjs-cls';
import { catchError, from, mergeMap, type Observable } from 'rxjs';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config.schema';
import {
  IdempotencyKeyTaken,
  PENDING_IDEMPOTENCY,
  readRecord,
  storeResponse,
  toRecord,
  type PendingIdempotency,
  type StoredIdempotentResponse,
} from '../database/idempotency-keys';
import { TenantTransaction } from '../database/tenant-transaction';
import { REDIS } from '../redis/redis.module';
import { ProblemException } from './problem';
import type { SwitchboardRequest } from './request-context';

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
const IN_FLIGHT_TTL_MS = 60_000;
const REPLAYED_HEADERS = ['content-type', 'location', 'etag'] as const;

interface StoredResponse extends StoredIdempotentResponse {
  state: 'done';
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
  constructor(readonly stored: StoredIdempotentResponse) {
    super('replay', stored.status);
  }

  sendTo(res: Response): void {
    for (const [name, value] of Object.entries(this.stored.headers)) res.setHeader(name, value);
    res.setHeader('Idempotent-Replayed', 'true');
    res.status(this.stored.status).send(this.stored.body);
  }
}

export const keyReused = () =>
  new ProblemException({
    status: 422,
    type: 'idempotency-key-reused',
    title: 'Unprocessable Content',
    detail: 'This Idempotency-Key was already used with a different request; use a new key for a new request.',
  });

const inFlight = () =>
  new ProblemException({
    status: 409,
    type: 'idempotency-key-in-flight',
    title: 'Conflict',
    detail: 'A request with this Idempotency-Key is still being processed; retry shortly.',
    headers: { 'Retry-After': '1' },
  });

/**
 * What a request whose transaction found the key already recorded in PostgreSQL gets: the stored
 * response, a 422 for another body, or a 409 while the first request has committed its effect
 * but not yet stored its response (or could not: the effect stands and is never repeated).
 */
export function answerFromRecord(record: ReturnType<typeof toRecord>, fingerprint: string): HttpException {
  if (record && record.fingerprint !== fingerprint) return keyReused();
  if (record?.response) return new IdempotentReplay({ fingerprint, ...record.response });
  return new ProblemException({
    status: 409,
    type: 'idempotency-key-in-flight',
    title: 'Conflict',
    detail: 'A request with this Idempotency-Key has already taken effect and its response is not available yet; it will not run again. Retry shortly.',
    headers: { 'Retry-After': '1' },
  });
}

/** What happens to the key when the response leaves: kept as a replay, or given back to Redis. */
interface Capture {
  release: boolean;
}

/**
 * `Idempotency-Key` on POST and PATCH (bound to those routes only, see `bindIdempotency`), scoped
 * to the caller: the first response is kept for IDEMPOTENCY_TTL_SECONDS and replayed; the same
 * key with another body is a 422; a duplicate arriving while the first still runs is a 409.
 *
 * Two stores (ADR 0020). PostgreSQL is the record: the request's first tenant write transaction
 * inserts the key with its effect (`TenantTransaction`, from the pending key this interceptor
 * leaves in CLS), and the response is stored into that row before it is sent; a later request
 * whose transaction meets the row is rolled back and answered from it. Redis is the fast path:
 * in-flight duplicates and replays without a transaction, and answers that wrote nothing
 * (a 4xx before any write). A 5xx that wrote nothing releases the key for a retry. With Redis
 * down or flushed, the record alone still keeps every effect single.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly logger = new Logger(IdempotencyInterceptor.name);

  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly cls: ClsService,
    private readonly tx: TenantTransaction,
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
    // The credential; the tenant is part of the Redis key here and of the row's primary key in
    // PostgreSQL, so the same user acting in another tenant is another caller.
    const credential = req.principal ? `${req.principal.kind}:${req.principal.id}` : `ip:${req.ip}`;
    const scope = req.principal ? `${req.principal.kind}:${req.principal.tenantId ?? '-'}:${req.principal.id}` : `ip:${req.ip}`;
    const redisKey = `${this.config.QUEUE_PREFIX}:idem:${createHash('sha256').update(`${scope}\n${key}`).digest('base64url')}`;
    const fingerprint = requestFingerprint(req.method, req.originalUrl.split('?')[0], req.body);
    const pending: PendingIdempotency = { scope: credential, key, fingerprint, ttlSeconds: this.config.IDEMPOTENCY_TTL_SECONDS, claimedIn: null, committed: false, done: false };
    return from(this.claim(redisKey, fingerprint)).pipe(
      mergeMap(() => {
        const capture: Capture = { release: false };
        this.captureResponse(res, redisKey, pending, capture);
        if (this.cls.isActive()) this.cls.set(PENDING_IDEMPOTENCY, pending);
        return next.handle().pipe(
          catchError((error: unknown) => {
            if (!(error instanceof IdempotencyKeyTaken)) throw error;
            return from(this.answerFromPostgres(error.tenantId, pending, capture));
          }),
        );
      }),
    );
  }

  /**
   * The fast path: an in-flight marker, or the stored answer. Redis unavailable is not an error
   * here: the PostgreSQL record still keeps the effect single, so the request goes on without it.
   */
  private async claim(redisKey: string, fingerprint: string): Promise<void> {
    const marker: InFlight = { state: 'in-flight', fingerprint };
    let existing: StoredResponse | InFlight | null;
    try {
      const claimed = await this.redis.set(redisKey, JSON.stringify(marker), 'PX', IN_FLIGHT_TTL_MS, 'NX');
      if (claimed === 'OK') return;
      const raw = await this.redis.get(redisKey);
      if (raw === null) return this.claim(redisKey, fingerprint); // expired in between
      existing = JSON.parse(raw) as StoredResponse | InFlight;
    } catch (error) {
      this.logger.warn({ err: error }, 'Idempotency fast path unavailable; relying on the database record');
      return;
    }
    if (existing.fingerprint !== fingerprint) throw keyReused();
    if (existing.state === 'in-flight') throw inFlight();
    throw new IdempotentReplay(existing);
  }

  /** The request's transaction met the key's record and was rolled back: answer as the record says. */
  private async answerFromPostgres(tenantId: string, pending: PendingIdempotency, capture: Capture): Promise<never> {
    const [rows] = (await this.tx.reads(tenantId, [readRecord(tenantId, pending.scope, pending.key)])) as Record<string, unknown>[][];
    const answer = answerFromRecord(toRecord(rows[0]), pending.fingerprint);
    // A replay is the first response again and may go back to Redis; a 422 or 409 is not this key's answer.
    capture.release = !(answer instanceof IdempotentReplay);
    throw answer;
  }

  /**
   * Stores the response before it leaves, so a client that saw it and retries gets a replay: in
   * the request's record when its transaction committed (the effect exists, whatever the status),
   * and in Redis for the fast path.
   */
  private captureResponse(res: Response, redisKey: string, pending: PendingIdempotency, capture: Capture): void {
    const send = res.send.bind(res);
    let captured = false;
    res.send = ((body?: unknown) => {
      if (captured) return send(body);
      captured = true;
      pending.done = true;
      const snapshot = this.snapshot(res, pending.fingerprint, body);
      const writes: Promise<unknown>[] = [];
      if (pending.committed && pending.claimedIn !== null) {
        const { state: _state, fingerprint: _fingerprint, ...response } = snapshot;
        const tenantId = pending.claimedIn;
        writes.push(this.tx.runBatch({ tenantId, actorId: null, correlationId: null }, [storeResponse(tenantId, pending.scope, pending.key, response)]));
      }
      const release = capture.release || (res.statusCode >= 500 && !pending.committed);
      writes.push(release ? this.redis.del(redisKey) : this.redis.set(redisKey, JSON.stringify(snapshot), 'EX', this.config.IDEMPOTENCY_TTL_SECONDS));
      Promise.all(writes.map((w) => w.catch((error: unknown) => this.logger.warn({ err: error }, 'Could not store the idempotent response')))).finally(() =>
        send(body),
      );
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
