import { createHmac } from 'node:crypto';
import { newWebhookSecret, sign, signatureHeader, verify } from './signing';

describe('webhook signing (Standard Webhooks)', () => {
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
  const body = '{"id":"e1","type":"ticket.created"}';

  it('signs "<id>.<timestamp>.<body>" with HMAC-SHA256 keyed by the decoded secret', () => {
    const expected = createHmac('sha256', Buffer.from('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'base64')).update(`msg_1.1700000000.${body}`).digest('base64');
    expect(sign(secret, 'msg_1', 1700000000, body)).toBe(`v1,${expected}`);
  });

  it('verifies its own signature and refuses a changed body, id, secret or a stale timestamp', () => {
    const now = 1700000000_000;
    const headers = { id: 'msg_1', timestamp: '1700000000', signature: sign(secret, 'msg_1', 1700000000, body) };
    expect(verify(secret, headers, body, { now })).toBe(true);
    expect(verify(secret, headers, `${body} `, { now })).toBe(false);
    expect(verify(secret, { ...headers, id: 'msg_2' }, body, { now })).toBe(false);
    expect(verify(newWebhookSecret(), headers, body, { now })).toBe(false);
    expect(verify(secret, headers, body, { now: now + 301_000 })).toBe(false);
    expect(verify(secret, { ...headers, timestamp: 'soon' }, body, { now })).toBe(false);
  });

  it('after a rotation carries both signatures, and either secret verifies', () => {
    const next = newWebhookSecret();
    const header = signatureHeader([next, secret], 'msg_1', 1700000000, body);
    expect(header.split(' ')).toHaveLength(2);
    for (const s of [next, secret]) expect(verify(s, { id: 'msg_1', timestamp: '1700000000', signature: header }, body, { now: 1700000000_000 })).toBe(true);
  });

  it('generates distinct whsec_ secrets of 32 random bytes', () => {
    const a = newWebhookSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(a.slice(6), 'base64')).toHaveLength(32);
    expect(newWebhookSecret()).not.toBe(a);
  });
});
