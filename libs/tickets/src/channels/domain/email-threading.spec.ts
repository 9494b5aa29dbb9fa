import { baseAddress, findTokens, newThreadIndex, newToken, normaliseMessageId, replySubject, replyToAddress, threadIndexRoot, TOKEN } from './email-threading';
import { stripQuotedText } from './quoted-text';
import { retryDelayMs } from './backoff';
import { peekHeaders } from './mime-headers';

describe('email threading helpers', () => {
  it('makes unguessable tokens and carries them in the reply-to address and the subject, once', () => {
    const token = newToken();
    expect(token).toMatch(TOKEN);
    expect(replyToAddress('support@acme.example', token)).toBe(`support+t_${token}@acme.example`);
    expect(baseAddress(`Support+t_${token}@Acme.Example`)).toBe('support@acme.example');
    expect(replySubject(`Re: Boiler [t_${token}]`, token)).toBe(`Re: Boiler [t_${token}]`);
    expect(replySubject('Boiler', token)).toBe(`Re: Boiler [t_${token}]`);
  });

  it('finds tokens in addresses, our message ids and the subject, and ignores look-alikes', () => {
    const t = 'abcdefghij234567';
    expect(findTokens({ addresses: [`x+t_${t}@a.example`], subject: '', threadKeys: [] })).toEqual([t]);
    expect(findTokens({ addresses: [], subject: '', threadKeys: [`<t_${t}.uuid@host>`] })).toEqual([t]);
    expect(findTokens({ addresses: [], subject: `Fwd: x [t_${t}]`, threadKeys: [] })).toEqual([t]);
    expect(findTokens({ addresses: ['x+t_short@a.example'], subject: '[t_tooshort]', threadKeys: ['<t_x@y>'] })).toEqual([]);
    expect(normaliseMessageId(' ABC@Host ')).toBe('<abc@host>');
  });

  it('a new Thread-Index has a 22-byte root that threadIndexRoot recovers', () => {
    const index = newThreadIndex();
    expect(threadIndexRoot(index)).toBe(index);
    expect(Buffer.from(index, 'base64')).toHaveLength(22);
  });
});

describe('stripQuotedText', () => {
  it('cuts at the German and French reply headers and the signature delimiter, keeps text that is all quote', () => {
    expect(stripQuotedText('Danke!\n\nAm 7. Dez. 2026 um 18:30 schrieb Acme <a@b.c>:\n> alt')).toBe('Danke!');
    expect(stripQuotedText('Merci\n\nLe lun. 7 déc. 2026 à 18:30, Acme <a@b.c> a écrit :\n> vieux')).toBe('Merci');
    expect(stripQuotedText('Body\n-- \nPat Smith\nCEO')).toBe('Body');
    expect(stripQuotedText('Text\n-----Original Message-----\nFrom: x')).toBe('Text');
    expect(stripQuotedText('> only a quote')).toBe('> only a quote');
  });
});

describe('retryDelayMs', () => {
  it('grows exponentially with jitter, is capped, and honours the provider’s hint', () => {
    for (let i = 0; i < 50; i++) {
      const d = retryDelayMs(3, { baseMs: 1000, maxMs: 60_000 });
      expect(d).toBeGreaterThanOrEqual(2000);
      expect(d).toBeLessThanOrEqual(4000);
    }
    expect(retryDelayMs(20, { baseMs: 1000, maxMs: 60_000 })).toBeLessThanOrEqual(60_000);
    expect(retryDelayMs(1, { baseMs: 1000, maxMs: 60_000, retryAfterMs: 30_000 })).toBe(30_000);
  });
});

describe('peekHeaders', () => {
  it('reads Message-ID, From and Subject without parsing the body, and hashes mail without a Message-ID', () => {
    const raw = Buffer.from('From: "Pat, S." <Pat@Customer.Example>\r\nSubject: Hi\r\n there\r\nMessage-ID: <X@Y>\r\n\r\nMessage-ID: <not-this@z>\r\n');
    expect(peekHeaders(raw)).toEqual({ messageId: '<x@y>', from: 'pat@customer.example', subject: 'Hi there' });
    const a = peekHeaders(Buffer.from('From: a@b.c\r\n\r\none'));
    const b = peekHeaders(Buffer.from('From: a@b.c\r\n\r\ntwo'));
    expect(a.messageId).toMatch(/^<sha256\.[0-9a-f]{64}@switchboard\.invalid>$/);
    expect(a.messageId).not.toBe(b.messageId);
  });
});
