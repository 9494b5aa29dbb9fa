import { AnthropicChatProvider } from '../../libs/ai-gateway/src/chat/providers/anthropic-chat.provider';
import { GeminiChatProvider } from '../../libs/ai-gateway/src/chat/providers/gemini-chat.provider';
import { LocalChatProvider, LOCAL_MARKER } from '../../libs/ai-gateway/src/chat/providers/local-chat.provider';
import { OpenAiChatProvider } from '../../libs/ai-gateway/src/chat/providers/openai-chat.provider';
import { ProviderError } from '../../libs/ai-gateway/src/chat/provider-error';
import { ProviderResilience } from '../../libs/ai-gateway/src/chat/resilience';
import type { ChatProvider, ChatStreamEvent } from '../../libs/ai-gateway/src/chat/chat.port';
import { createSafeFetch } from '../../libs/platform/src/outbound/safe-fetch';
import { FakeLlmServer, type FakeProvider } from '../support/fake-llm/fake-llm-server';

/** The chat providers on their real SDKs against loopback fakes of each vendor's HTTP API. */
describe('AI chat providers (real SDKs, fake servers)', () => {
  let fake: FakeLlmServer;
  const make = (kind: FakeProvider, timeoutMs = 2000): ChatProvider => {
    const options = { apiKey: 'sk-test-key-1234', baseUrl: fake.baseUrl(kind), timeoutMs, fetch: createSafeFetch({ allowPrivate: true }) };
    return kind === 'openai' ? new OpenAiChatProvider(options) : kind === 'anthropic' ? new AnthropicChatProvider(options) : new GeminiChatProvider(options);
  };
  const messages = [
    { role: 'system' as const, content: 'Be brief.' },
    { role: 'user' as const, content: 'What pressure should my boiler have?' },
  ];
  const collect = async (events: AsyncIterable<ChatStreamEvent>) => {
    const out: ChatStreamEvent[] = [];
    for await (const e of events) out.push(e);
    return out;
  };

  beforeAll(async () => {
    fake = await new FakeLlmServer().start();
  });
  afterAll(() => fake.stop());
  beforeEach(() => fake.reset());

  describe.each(['openai', 'anthropic', 'gemini'] as const)('%s', (kind) => {
    it('completes with the provider-reported usage and sends the key only as auth', async () => {
      const result = await make(kind).complete({ model: 'm-1', messages });
      expect(result.text).toBe(fake.defaultText);
      expect(result.usage).toEqual({ promptTokens: 11, completionTokens: 10 });
      const seen = fake.requests[0]!;
      const auth = JSON.stringify(seen.headers);
      expect(auth).toContain('sk-test-key-1234');
      expect(JSON.stringify(seen.body)).not.toContain('sk-test-key-1234');
      expect(JSON.stringify(seen.body)).toContain('Be brief.');
    });

    it('streams deltas in order, then one done with usage', async () => {
      const events = await collect(make(kind).stream({ model: 'm-1', messages }));
      const text = events.filter((e) => e.type === 'delta').map((e) => (e as { text: string }).text).join('');
      expect(text).toBe(fake.defaultText);
      const done = events.at(-1)!;
      expect(done).toMatchObject({ type: 'done', usage: { promptTokens: 11, completionTokens: 10 } });
      expect(events.filter((e) => e.type === 'done')).toHaveLength(1);
      expect(fake.requests[0]!.stream).toBe(true);
    });

    it('returns structured JSON for a schema', async () => {
      fake.enqueue(kind, { kind: 'ok', json: { serial: 'AB-123', pressure: 1.2 } });
      const result = await make(kind).structured({ model: 'm-1', messages, schema: { type: 'object', properties: { serial: { type: 'string' }, pressure: { type: 'number' } } } });
      expect(JSON.parse(result.text)).toEqual({ serial: 'AB-123', pressure: 1.2 });
    });

    it('maps 429 with Retry-After and 500 to ProviderErrors, without retrying inside the SDK', async () => {
      fake.enqueue(kind, { kind: 'status', status: 429, retryAfter: '2' }, { kind: 'status', status: 500 });
      const first = await make(kind).complete({ model: 'm-1', messages }).catch((e: unknown) => e);
      expect(first).toBeInstanceOf(ProviderError);
      expect(first).toMatchObject({ status: 429, retryAfterMs: 2000, retryable: true });
      const second = await make(kind).complete({ model: 'm-1', messages }).catch((e: unknown) => e);
      expect(second).toMatchObject({ status: 500, retryable: true });
      expect(fake.count(kind)).toBe(2);
    });

    it('gives up on a hanging server at its timeout', async () => {
      fake.enqueue(kind, { kind: 'hang' });
      const error = await make(kind, 300).complete({ model: 'm-1', messages }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProviderError);
      expect((error as ProviderError).retryable).toBe(true);
    });

    it('aborts the upstream stream when the caller aborts', async () => {
      fake.enqueue(kind, { kind: 'slow', text: 'one two three four five six seven eight', delayMs: 100 });
      const controller = new AbortController();
      const seen: string[] = [];
      const error = await (async () => {
        for await (const e of make(kind).stream({ model: 'm-1', messages }, { signal: controller.signal })) {
          if (e.type === 'delta') seen.push(e.text);
          if (seen.length === 2) controller.abort();
        }
      })().catch((e: unknown) => e);
      expect(error).toMatchObject({ kind: 'aborted' });
      expect(seen.length).toBeLessThan(8);
      await new Promise((r) => setTimeout(r, 150));
      expect(fake.requests[0]!.closedEarly).toBe(true);
    });
  });

  describe('resilience', () => {
    const options = { timeoutMs: 500, maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 5000, breakerFailures: 3, halfOpenAfterMs: 60_000 };

    it('retries after the delay Retry-After asks for, once per attempt', async () => {
      const resilience = new ProviderResilience(options);
      const provider = make('openai');
      fake.enqueue('openai', { kind: 'status', status: 429, retryAfter: '1' });
      const started = Date.now();
      let attempts = 0;
      const result = await resilience.execute('openai', 't|a', (signal) => provider.complete({ model: 'm', messages }, { signal }), undefined, () => attempts++);
      expect(result.text).toBe(fake.defaultText);
      expect(attempts).toBe(2);
      expect(Date.now() - started).toBeGreaterThanOrEqual(950);
      expect(fake.count('openai')).toBe(2);
    });

    it('does not retry a 400, and opens the breaker after consecutive failures', async () => {
      const resilience = new ProviderResilience({ ...options, maxAttempts: 1 });
      const provider = make('anthropic');
      fake.enqueue('anthropic', { kind: 'status', status: 400 });
      await expect(resilience.execute('anthropic', 't|b', (s) => provider.complete({ model: 'm', messages }, { signal: s }))).rejects.toMatchObject({ status: 400 });
      expect(fake.count('anthropic')).toBe(1);
      fake.enqueue('anthropic', { kind: 'status', status: 500 }, { kind: 'status', status: 500 }, { kind: 'status', status: 503 });
      for (let i = 0; i < 3; i++) await expect(resilience.execute('anthropic', 't|b', (s) => provider.complete({ model: 'm', messages }, { signal: s }))).rejects.toBeInstanceOf(ProviderError);
      const before = fake.count('anthropic');
      await expect(resilience.execute('anthropic', 't|b', (s) => provider.complete({ model: 'm', messages }, { signal: s }))).rejects.toThrow(/circuit breaker/);
      expect(fake.count('anthropic')).toBe(before);
      // Another tenant's connection has its own breaker.
      await expect(resilience.execute('anthropic', 'other|b', (s) => provider.complete({ model: 'm', messages }, { signal: s }))).resolves.toMatchObject({ text: fake.defaultText });
    });
  });

  describe('local (offline)', () => {
    const local = new LocalChatProvider();

    it('says it is extractive and answers from the given text', async () => {
      const result = await local.complete({ model: 'x', messages: [{ role: 'user', content: 'Boilers need 1.5 bar. Radiators need bleeding yearly. Cats like boxes.' }, { role: 'user', content: 'How often should radiators be bled?' }] });
      expect(result.extractive).toBe(true);
      expect(result.text.startsWith(LOCAL_MARKER)).toBe(true);
      expect(result.text).toContain('Radiators need bleeding yearly.');
      expect(result.text).not.toContain('Cats');
    });

    it('triages by keywords and drafts from a template', async () => {
      const triage = await local.complete({ model: 'x', feature: 'triage', messages: [{ role: 'user', content: 'I was charged twice, please refund my invoice' }] });
      expect(JSON.parse(triage.text.slice(LOCAL_MARKER.length))).toMatchObject({ category: 'billing' });
      const draft = await local.complete({ model: 'x', feature: 'draft', messages: [{ role: 'user', content: 'My heater is broken.' }] });
      expect(draft.text).toContain('Thank you for getting in touch');
    });

    it('extracts by rules', async () => {
      const result = await local.structured({
        model: 'x',
        messages: [{ role: 'user', content: 'Serial number: AB-991\nPressure: 1.4 bar\nCustomer email: jo@example.com\nPart replaced: yes' }],
        schema: { type: 'object', properties: { serialNumber: { type: 'string' }, pressure: { type: 'number' }, customerEmail: { type: 'string' }, partReplaced: { type: 'boolean' } } },
      });
      expect(JSON.parse(result.text)).toEqual({ serialNumber: 'AB-991', pressure: 1.4, customerEmail: 'jo@example.com', partReplaced: true });
    });
  });
});
