import type { ChatStreamEvent } from '../chat/chat.port';
import { detect, luhnValid, Redactor, type RedactionSettings } from './redaction';

const ALL = { email: true, phone: true, card: true };
const found = (text: string, settings: RedactionSettings = ALL) => detect(text, settings).map((s) => [s.kind, text.slice(s.start, s.end)]);

describe('redaction: detection', () => {
  it('finds e-mail addresses, also inside URLs and mailto links, without the URL around them', () => {
    expect(found('Write to Jane.Doe+billing@example.co.uk today.')).toEqual([['EMAIL', 'Jane.Doe+billing@example.co.uk']]);
    expect(found('Unsubscribe: https://mail.example.com/u?email=jane@example.com&x=1')).toEqual([['EMAIL', 'jane@example.com']]);
    expect(found('<a href="mailto:ops@acme.io">ops</a>')).toEqual([['EMAIL', 'ops@acme.io']]);
    expect(found('not an address: user@localhost or @handle or a@b.c')).toEqual([]);
  });

  it('finds Luhn-valid card numbers written plain, with spaces or dashes, and leaves other digit runs alone', () => {
    expect(found('card 4111 1111 1111 1111 exp 12 27')).toEqual([['CARD', '4111 1111 1111 1111']]);
    expect(found('card 4111-1111-1111-1111.')).toEqual([['CARD', '4111-1111-1111-1111']]);
    expect(found('amex 3782 822463 10005, plain 5555555555554444')).toEqual([
      ['CARD', '3782 822463 10005'],
      ['CARD', '5555555555554444'],
    ]);
    // Same digits with the last one changed: fails Luhn.
    expect(found('order 4111 1111 1111 1112 and invoice 1234567890123 and tracking 12345678901234567890')).toEqual([]);
    // A Luhn-valid card inside a longer digit string is not a card.
    expect(found('serial 994111111111111111')).toEqual([]);
    expect(luhnValid('79927398713')).toBe(true);
    expect(luhnValid('79927398710')).toBe(false);
  });

  it('finds international phone numbers (+ and 00 prefixes) but not dates, order numbers or national forms', () => {
    expect(found('Call +49 30 901820, or +1 (415) 555-2671; London 0044 20 7946 0958.')).toEqual([
      ['PHONE', '+49 30 901820'],
      ['PHONE', '+1 (415) 555-2671'],
      ['PHONE', '0044 20 7946 0958'],
    ]);
    expect(found('Paris: +33 1 42 68 53 00 / Tokyo +81 3-3224-9999')).toEqual([
      ['PHONE', '+33 1 42 68 53 00'],
      ['PHONE', '+81 3-3224-9999'],
    ]);
    expect(found('Jane (+49 30 901820) or (+1 415 555 2671), (415) 555-2671 at +1 (415) 555-2671')).toEqual([
      ['PHONE', '+49 30 901820'],
      ['PHONE', '+1 415 555 2671'],
      ['PHONE', '+1 (415) 555-2671'],
    ]);
    expect(found('visit on 2024-11-05, ticket 12345678, national 030 901820, +99 123')).toEqual([]);
  });

  it('finds phone numbers anywhere in long text, each whole', () => {
    const filler = 'The boiler pressure should be between 1 and 1.5 bar. '.repeat(30);
    const text = `${filler}Call +44 20 7946 0958 ext. 1234 or${' '.repeat(35)}+1 (415) 555-2671.${filler}+33 1 42 68 53 00`;
    expect(found(text)).toEqual([
      ['PHONE', '+44 20 7946 0958 ext. 1234'],
      ['PHONE', '+1 (415) 555-2671'],
      ['PHONE', '+33 1 42 68 53 00'],
    ]);
  });

  it('keeps a card next to a phone number apart', () => {
    expect(found('+49 30 901820 4111111111111111')).toEqual([
      ['PHONE', '+49 30 901820'],
      ['CARD', '4111111111111111'],
    ]);
  });

  it('only looks for the kinds that are switched on', () => {
    const text = 'jane@example.com, +49 30 901820, 4111111111111111';
    expect(found(text, { email: true })).toEqual([['EMAIL', 'jane@example.com']]);
    expect(found(text, { phone: true })).toEqual([['PHONE', '+49 30 901820']]);
    expect(found(text, { card: true })).toEqual([['CARD', '4111111111111111']]);
    expect(found(text, {})).toEqual([]);
  });
});

describe('redaction: placeholders and restore', () => {
  it('gives the same value the same placeholder across messages, and restores the originals', () => {
    const r = new Redactor(ALL);
    const [a, b] = r.messages([
      { role: 'system', content: 'Customer: jane@example.com, +49 30 901820' },
      { role: 'user', content: 'JANE@example.com again, +49 30 90 18 20 and bob@example.com, card 4111 1111 1111 1111' },
    ]);
    expect(a!.content).toBe('Customer: [EMAIL_1], [PHONE_1]');
    expect(b!.content).toBe('[EMAIL_1] again, [PHONE_1] and [EMAIL_2], card [CARD_1]');
    expect(r.restore('Reply to [EMAIL_2] and [EMAIL_1], call [PHONE_1]; [EMAIL_7] is unknown')).toBe('Reply to bob@example.com and jane@example.com, call +49 30 901820; [EMAIL_7] is unknown');
  });

  it('restores the forms models write placeholders back in, and only placeholders issued for the call', () => {
    const r = new Redactor(ALL);
    r.redact('jane@example.com, +49 30 901820');
    expect(r.restore('Mail EMAIL_1 or [[EMAIL_1]] or {EMAIL_1} or {{EMAIL_1}}.')).toBe('Mail jane@example.com or jane@example.com or jane@example.com or jane@example.com.');
    expect(r.restore('Call PHONE 1, PHONE-1 or phone_1; write to <EMAIL_1> (EMAIL_1).')).toBe('Call +49 30 901820, +49 30 901820 or +49 30 901820; write to <jane@example.com> (jane@example.com).');
    // Numbers never issued, other words, and plain prose stay.
    expect(r.restore('EMAIL_2, [PHONE_7], CARD_1, MYEMAIL_1, EMAIL_1x, phone 1 and email 1 stay.')).toBe('EMAIL_2, [PHONE_7], CARD_1, MYEMAIL_1, EMAIL_1x, phone 1 and email 1 stay.');
    // An unpaired bracket is prose: it stays beside the restored value.
    expect(r.restore('[EMAIL_1 and EMAIL_1]')).toBe('[jane@example.com and jane@example.com]');
    expect(JSON.parse(r.restoreJson('{"to":"EMAIL_1","cc":"{{EMAIL_1}}"}'))).toEqual({ to: 'jane@example.com', cc: 'jane@example.com' });
  });

  it('restores card numbers masked to their last four digits', () => {
    const r = new Redactor(ALL);
    expect(r.redact('charged 5555-5555-5555-4444')).toBe('charged [CARD_1]');
    expect(r.restore('The card [CARD_1] was charged.')).toBe('The card **** 4444 was charged.');
  });

  it('restores inside JSON with escaping, so structured output stays valid', () => {
    const r = new Redactor(ALL);
    r.redact('"Jane" <jane@example.com>');
    const json = r.restoreJson('{"email":"[EMAIL_1]","note":"x"}');
    expect(JSON.parse(json)).toEqual({ email: 'jane@example.com', note: 'x' });
  });

  it('leaves text without personal data untouched', () => {
    const r = new Redactor(ALL);
    const text = 'The boiler [needs] 1.5 bar [EMAIL] maybe.';
    expect(r.redact(text)).toBe(text);
    expect(r.restore(text)).toBe(text);
  });
});

describe('redaction: streams', () => {
  async function* deltas(parts: string[]): AsyncIterable<ChatStreamEvent> {
    for (const text of parts) yield { type: 'delta', text };
    yield { type: 'done', usage: null, finishReason: 'stop', model: 'm' };
  }
  const collect = async (r: Redactor, parts: string[]) => {
    const out: ChatStreamEvent[] = [];
    for await (const e of r.restoreStream(deltas(parts))) out.push(e);
    return out;
  };

  it('restores placeholders split across deltas at every possible cut', async () => {
    const r = new Redactor(ALL);
    r.redact('jane@example.com and +49 30 901820');
    const answer = 'Mail [EMAIL_1], call [PHONE_1] [now].';
    for (let i = 1; i < answer.length; i++) {
      for (let j = i; j < answer.length; j++) {
        const out = await collect(r, [answer.slice(0, i), answer.slice(i, j), answer.slice(j)]);
        const text = out.filter((e) => e.type === 'delta').map((e) => (e as { text: string }).text).join('');
        expect(text).toBe('Mail jane@example.com, call +49 30 901820 [now].');
        expect(out.at(-1)).toMatchObject({ type: 'done' });
      }
    }
  });

  it('restores bare and doubled placeholders split across deltas at every possible cut', async () => {
    const r = new Redactor(ALL);
    r.redact('jane@example.com and +49 30 901820');
    const answer = 'Mail EMAIL_1, call [[PHONE_1]] (Cal EMAIL_2).';
    for (let i = 1; i < answer.length; i++) {
      for (let j = i; j < answer.length; j++) {
        const out = await collect(r, [answer.slice(0, i), answer.slice(i, j), answer.slice(j)]);
        const text = out.filter((e) => e.type === 'delta').map((e) => (e as { text: string }).text).join('');
        expect(text).toBe('Mail jane@example.com, call +49 30 901820 (Cal EMAIL_2).');
      }
    }
  });

  it('holds back only what could start a placeholder', () => {
    const r = new Redactor(ALL);
    r.redact('jane@example.com');
    const s = r.streamRestorer();
    expect(s.push('Hello [')).toBe('Hello ');
    expect(s.push('EMA')).toBe('');
    expect(s.push('IL_1] and [x')).toBe('jane@example.com and [x');
    expect(s.push(' [EMAIL_12345')).toBe(' [EMAIL_12345');
    expect(s.push(' tail [EMAIL_')).toBe(' tail ');
    expect(s.flush()).toBe('[EMAIL_');
  });
});
