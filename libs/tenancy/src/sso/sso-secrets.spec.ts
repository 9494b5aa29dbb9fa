import { randomBytes } from 'node:crypto';
import { open, seal } from './sso-secrets';

const key = randomBytes(32);
const A = '33333333-3333-4333-8333-333333333333';
const B = '44444444-4444-4444-8444-444444444444';

describe('SSO secret sealing', () => {
  it('round-trips, and never holds the plaintext', () => {
    const sealed = seal(key, A, 'client-secret-value');
    expect(sealed).not.toContain('client-secret-value');
    expect(open(key, A, sealed)).toBe('client-secret-value');
    expect(seal(key, A, 'client-secret-value')).not.toBe(sealed);
  });

  it('does not open under another tenant, another key, or after tampering', () => {
    const sealed = seal(key, A, 'client-secret-value');
    expect(() => open(key, B, sealed)).toThrow();
    expect(() => open(randomBytes(32), A, sealed)).toThrow();
    const parts = sealed.split('.');
    parts[3] = Buffer.from('x'.repeat(19)).toString('base64url');
    expect(() => open(key, A, parts.join('.'))).toThrow();
    expect(() => open(key, A, 'garbage')).toThrow();
  });
});
