import { Controller, Delete, Get, Patch, Post, Put, UseInterceptors, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { INTERCEPTORS_METADATA } from '@nestjs/common/constants';
import type { ModulesContainer } from '@nestjs/core';
import { isIdempotencyKeyTaken, toRecord } from '../database/idempotency-keys';
import { answerFromRecord, bindIdempotency, canonicalJson, IdempotencyInterceptor, IdempotentReplay, requestFingerprint } from './idempotency.interceptor';
import { ProblemException } from './problem';

describe('idempotency fingerprints', () => {
  it('ignores key order but not values', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"x":1,"y":2}]},"b":1}');
    expect(requestFingerprint('POST', '/v1/x', { a: 1, b: 2 })).toBe(requestFingerprint('POST', '/v1/x', { b: 2, a: 1 }));
    expect(requestFingerprint('POST', '/v1/x', { a: 1 })).not.toBe(requestFingerprint('POST', '/v1/x', { a: 2 }));
  });

  it('binds the key to the route and method', () => {
    expect(requestFingerprint('POST', '/v1/x', {})).not.toBe(requestFingerprint('POST', '/v1/y', {}));
    expect(requestFingerprint('POST', '/v1/x', {})).not.toBe(requestFingerprint('PATCH', '/v1/x', {}));
  });
});

class OtherInterceptor implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler) {
    return next.handle();
  }
}

@Controller('things')
class ThingsController {
  @Get() list() {}
  @Post() create() {}
  @Patch(':id') update() {}
  @Put(':id') replace() {}
  @Delete(':id') remove() {}
  @Post('other')
  @UseInterceptors(OtherInterceptor)
  withOther() {}
}

describe('bindIdempotency', () => {
  const modules = new Map([['things', { controllers: new Map([[ThingsController, { metatype: ThingsController }]]) }]]) as unknown as ModulesContainer;
  const bound = (method: keyof ThingsController) => (Reflect.getMetadata(INTERCEPTORS_METADATA, ThingsController.prototype[method]) as unknown[] | undefined) ?? [];
  const interceptor = () => Object.create(IdempotencyInterceptor.prototype) as IdempotencyInterceptor;

  it('puts the interceptor on POST and PATCH handlers only, so reads never enter it', () => {
    const first = interceptor();
    expect(bindIdempotency(modules, first)).toBe(3);
    for (const method of ['create', 'update'] as const) {
      expect(bound(method)).toHaveLength(1);
      expect(bound(method)[0]).toBe(first);
    }
    expect(bound('withOther')).toHaveLength(2);
    expect(bound('withOther')[0]).toBe(first);
    expect(bound('withOther')[1]).toBe(OtherInterceptor);
    for (const method of ['list', 'replace', 'remove'] as const) expect(bound(method)).toEqual([]);
  });

  it('replaces rather than adds when another app is built in the same process', () => {
    const second = interceptor();
    bindIdempotency(modules, second);
    expect(bound('create')).toHaveLength(1);
    expect(bound('create')[0]).toBe(second);
  });
});

describe('answers from the PostgreSQL record', () => {
  const fingerprint = requestFingerprint('POST', '/v1/tickets', { subject: 'a' });

  it('replays the stored response of the same request', () => {
    const answer = answerFromRecord({ fingerprint, response: { status: 201, headers: { 'content-type': 'application/json' }, body: '{"id":"t1"}' } }, fingerprint);
    expect(answer).toBeInstanceOf(IdempotentReplay);
    expect((answer as IdempotentReplay).stored).toEqual({ fingerprint, status: 201, headers: { 'content-type': 'application/json' }, body: '{"id":"t1"}' });
  });

  it('refuses another request with the key, stored response or not', () => {
    const other = requestFingerprint('POST', '/v1/tickets', { subject: 'b' });
    expect(answerFromRecord({ fingerprint: other, response: null }, fingerprint).getStatus()).toBe(422);
    expect(answerFromRecord({ fingerprint: other, response: { status: 201, headers: {}, body: '' } }, fingerprint).getStatus()).toBe(422);
  });

  it('says 409 while the effect is committed but its response is not stored', () => {
    const answer = answerFromRecord({ fingerprint, response: null }, fingerprint);
    expect(answer).toBeInstanceOf(ProblemException);
    expect(answer.getStatus()).toBe(409);
    expect((answer as ProblemException).problem.headers).toEqual({ 'Retry-After': '1' });
  });
});

describe('the idempotency record', () => {
  it('reads a completed row as its response and an in-progress row as none', () => {
    expect(toRecord({ fingerprint: 'f', status: 'completed', response_status: 201, response_headers: { etag: 'W/"1"' }, response_body: '{}' })).toEqual({
      fingerprint: 'f',
      response: { status: 201, headers: { etag: 'W/"1"' }, body: '{}' },
    });
    expect(toRecord({ fingerprint: 'f', status: 'in_progress', response_status: null, response_headers: null, response_body: null })).toEqual({ fingerprint: 'f', response: null });
    expect(toRecord(undefined)).toBeNull();
  });

  it('recognises only its own primary-key violation as a taken key', () => {
    expect(isIdempotencyKeyTaken({ code: '23505', constraint: 'idempotency_keys_pkey' })).toBe(true);
    expect(isIdempotencyKeyTaken({ driverError: { code: '23505', constraint: 'idempotency_keys_pkey' } })).toBe(true);
    expect(isIdempotencyKeyTaken({ code: '23505', constraint: 'tickets_pkey' })).toBe(false);
    expect(isIdempotencyKeyTaken(new Error('boom'))).toBe(false);
  });
});
