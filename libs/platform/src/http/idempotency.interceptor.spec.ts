import { canonicalJson, requestFingerprint } from './idempotency.interceptor';

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
