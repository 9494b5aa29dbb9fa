import { randomBytes } from 'node:crypto';
import { ProblemException } from '@switchboard/platform';
import { ratingColumns, signCsatToken, verifyCsatToken } from './csat';

const key = randomBytes(32);
const payload = { t: '11111111-1111-4111-8111-111111111111', k: '22222222-2222-4222-8222-222222222222', e: 2_000_000_000 };

describe('CSAT tokens', () => {
  it('verifies what it signed', () => {
    expect(verifyCsatToken(key, signCsatToken(key, payload))).toEqual(payload);
  });

  it('refuses another key, a tampered payload and malformed input', () => {
    const token = signCsatToken(key, payload);
    expect(verifyCsatToken(randomBytes(32), token)).toBeNull();
    const [, sig] = token.split('.');
    const tampered = Buffer.from(JSON.stringify({ ...payload, k: '33333333-3333-4333-8333-333333333333' })).toString('base64url');
    expect(verifyCsatToken(key, `${tampered}.${sig}`)).toBeNull();
    for (const bad of ['', 'abc', 'a.b', `${token}x`, '.'.repeat(600)]) expect(verifyCsatToken(key, bad)).toBeNull();
  });
});

describe('CSAT ratings', () => {
  it('accepts good/bad on binary and 1–5 on five, and names the field otherwise', () => {
    expect(ratingColumns('binary', 'good')).toEqual({ good: true, score: null });
    expect(ratingColumns('five', 4)).toEqual({ good: null, score: 4 });
    for (const [scale, rating] of [['binary', 5], ['five', 'good'], ['five', 0], ['five', 2.5], ['binary', null]] as const) {
      try {
        ratingColumns(scale, rating);
        throw new Error('accepted');
      } catch (e) {
        expect(e).toBeInstanceOf(ProblemException);
        expect((e as ProblemException).problem.status).toBe(400);
      }
    }
  });
});
