import { Controller, Delete, Get, Patch, Post, Put, UseInterceptors, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { INTERCEPTORS_METADATA } from '@nestjs/common/constants';
import type { ModulesContainer } from '@nestjs/core';
import { bindIdempotency, canonicalJson, IdempotencyInterceptor, requestFingerprint } from './idempotency.interceptor';

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
