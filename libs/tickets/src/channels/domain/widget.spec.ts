import { normaliseOrigin, newVisitorToken, originAllowed, readVisitorToken, secretMatches, visitorSubject, widgetSettings } from './widget';

describe('widget origins', () => {
  it('normalises origins and refuses anything with a path, credentials, or another scheme', () => {
    expect(normaliseOrigin('HTTPS://Shop.Example:443')).toBe('https://shop.example');
    expect(normaliseOrigin('http://localhost:8080')).toBe('http://localhost:8080');
    for (const bad of ['https://shop.example/page', 'https://u:p@shop.example', 'javascript:alert(1)', 'file:///etc', 'shop.example', 'https://shop.example?x=1', '']) expect(normaliseOrigin(bad)).toBeNull();
  });

  it('allows listed origins only (no Origin header is refused), or any with *', () => {
    expect(originAllowed(['https://shop.example'], 'https://SHOP.example')).toBe(true);
    expect(originAllowed(['https://shop.example'], 'https://shop.example.evil.test')).toBe(false);
    expect(originAllowed(['https://shop.example'], 'http://shop.example')).toBe(false);
    expect(originAllowed(['https://shop.example'], undefined)).toBe(false);
    expect(originAllowed(['https://shop.example'], 'null')).toBe(false);
    expect(originAllowed(['*'], undefined)).toBe(true);
  });

  it('fills defaults, keeps what an update leaves out, and names an origin that is not one', () => {
    const base = widgetSettings({ allowedOrigins: ['https://a.example', 'https://A.example'] });
    expect(base).toEqual({ allowedOrigins: ['https://a.example'], greeting: 'Hi! How can we help?', color: '#1f6feb', collectContact: 'optional' });
    expect(widgetSettings({ collectContact: 'required' }, base)).toMatchObject({ allowedOrigins: ['https://a.example'], collectContact: 'required' });
    expect(() => widgetSettings({ allowedOrigins: ['https://a.example/x'] })).toThrow(expect.objectContaining({ problem: expect.objectContaining({ status: 400, errors: [expect.objectContaining({ field: 'widget.allowedOrigins.0' })] }) }));
  });
});

describe('visitor tokens', () => {
  const id = '0b7c6a9e-8f7d-4c1a-9a51-2f3b4c5d6e7f';

  it('carry the session id and a secret whose hash alone is stored', () => {
    const { token, secretHash } = newVisitorToken(id);
    const read = readVisitorToken(`Bearer ${token}`)!;
    expect(read.sessionId).toBe(id);
    expect(token).not.toContain(secretHash);
    expect(secretMatches(read.secret, secretHash)).toBe(true);
    expect(secretMatches(`${read.secret.slice(0, -1)}${read.secret.endsWith('A') ? 'B' : 'A'}`, secretHash)).toBe(false);
  });

  it('refuse anything not shaped like one', () => {
    for (const bad of [undefined, null, '', 'wvt_', `wvt_${id}`, `wvt_${id}.short`, `wvt_not-a-uuid.${'a'.repeat(43)}`, `xyz_${id}.${'a'.repeat(43)}`, `wvt_${id}.${'a'.repeat(43)}; drop`]) expect(readVisitorToken(bad)).toBeNull();
  });
});

describe('visitorSubject', () => {
  it('is the first line of the first message, shortened, never empty', () => {
    expect(visitorSubject('  Where is my order?\nIt was due Monday.')).toBe('Where is my order?');
    expect(visitorSubject('x'.repeat(200))).toBe(`${'x'.repeat(79)}…`);
    expect(visitorSubject('\n\n')).toBe('Web chat');
  });
});
