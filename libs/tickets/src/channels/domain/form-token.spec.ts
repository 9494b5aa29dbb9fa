import { randomBytes } from 'node:crypto';
import { signFormToken, verifyFormToken } from './form-token';

const key = randomBytes(32);
const T = '11111111-1111-4111-8111-111111111111';
const opts = (nowMs: number) => ({ nowMs, minFillMs: 3000, maxAgeMs: 3_600_000 });

describe('contact form tokens', () => {
  it('accept the tenant’s own token once the minimum fill time has passed and before it expires', () => {
    const token = signFormToken(key, T, 1_000_000);
    expect(verifyFormToken(key, token, T, opts(1_004_000))).toEqual({ ok: true, issuedAtMs: 1_000_000 });
    expect(verifyFormToken(key, token, T, opts(1_001_000))).toEqual({ ok: false, reason: 'too-fast' });
    expect(verifyFormToken(key, token, T, opts(1_000_000 + 3_600_001))).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuse another tenant’s token, another key’s, and anything tampered with', () => {
    const token = signFormToken(key, T, 1_000_000);
    expect(verifyFormToken(key, token, '22222222-2222-4222-8222-222222222222', opts(1_004_000))).toMatchObject({ ok: false, reason: 'invalid' });
    expect(verifyFormToken(randomBytes(32), token, T, opts(1_004_000))).toMatchObject({ ok: false, reason: 'invalid' });
    const [payload, mac] = token.split('.');
    const earlier = Buffer.from(Buffer.from(payload!, 'base64url').toString().replace(/\.[^.]+\./, `.${(1).toString(36)}.`)).toString('base64url');
    expect(verifyFormToken(key, `${earlier}.${mac}`, T, opts(1_004_000))).toMatchObject({ ok: false, reason: 'invalid' });
    expect(verifyFormToken(key, 'garbage', T, opts(1_004_000))).toMatchObject({ ok: false, reason: 'invalid' });
  });
});
