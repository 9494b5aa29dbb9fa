import { clientEventSchemas, tokenExpiry, TokenBucket } from './socket-rules';

describe('TokenBucket', () => {
  it('allows a burst, refuses beyond it, and refills with time', () => {
    const bucket = new TokenBucket(3, 2);
    const t0 = Date.now();
    expect([bucket.take(t0), bucket.take(t0), bucket.take(t0), bucket.take(t0)]).toEqual([true, true, true, false]);
    expect(bucket.take(t0 + 400)).toBe(false);
    expect(bucket.take(t0 + 600)).toBe(true);
    expect(bucket.take(t0 + 60_000)).toBe(true);
  });
});

describe('tokenExpiry', () => {
  const jwt = (claims: object) => `x.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;
  it('reads exp from a JWT, in milliseconds', () => {
    expect(tokenExpiry(jwt({ exp: 1_800_000_000 }))).toBe(1_800_000_000_000);
    expect(tokenExpiry(`Bearer ${jwt({ exp: 5 })}`)).toBe(5000);
  });
  it('has no expiry for API keys and garbage', () => {
    expect(tokenExpiry('sb_live_abcdefgh_secret')).toBeNull();
    expect(tokenExpiry('a.%%%.c')).toBeNull();
    expect(tokenExpiry(jwt({ exp: 'soon' }))).toBeNull();
  });
});

describe('client event schemas', () => {
  it('accept the documented shapes only', () => {
    const id = '6f1c1c36-55a4-4f43-9d7c-0d1a1e0b9a11';
    expect(clientEventSchemas['ticket.viewing'].safeParse({ ticketId: id }).success).toBe(true);
    expect(clientEventSchemas['ticket.viewing'].safeParse({ ticketId: 'nope' }).success).toBe(false);
    expect(clientEventSchemas['ticket.viewing'].safeParse({ ticketId: id, extra: 1 }).success).toBe(false);
    expect(clientEventSchemas['ticket.viewing'].safeParse('x').success).toBe(false);
    expect(clientEventSchemas['ticket.typing'].safeParse({ ticketId: id, state: 'maybe' }).success).toBe(false);
    expect(clientEventSchemas['presence.set'].safeParse({ status: 'away' }).success).toBe(true);
    expect(clientEventSchemas['presence.set'].safeParse({ status: 'offline' }).success).toBe(false);
  });
});
