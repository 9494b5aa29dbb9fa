import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type FakeProvider = 'openai' | 'anthropic' | 'gemini';

/** What the fake does with the next request of a provider; the default is `ok`. */
export type Behaviour =
  | { kind: 'ok'; text?: string; json?: unknown }
  | { kind: 'status'; status: number; retryAfter?: string }
  | { kind: 'hang' }
  /** Streams `text` word by word with a pause between words (for disconnects). */
  | { kind: 'slow'; text: string; delayMs: number }
  /** Streams exactly these deltas (to split a word anywhere). */
  | { kind: 'parts'; parts: string[] };

export interface RecordedRequest {
  provider: FakeProvider;
  path: string;
  body: any;
  headers: IncomingMessage['headers'];
  stream: boolean;
  /** Set when the client closed the connection before the response ended. */
  closedEarly: boolean;
}

const PROMPT_TOKENS = 11;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const words = (text: string) => text.match(/\S+\s*/g) ?? [];

/**
 * One loopback server that speaks the OpenAI Chat Completions, Anthropic Messages and Gemini
 * generateContent HTTP APIs (JSON and their streaming formats), so tests run the real SDKs.
 * Base URLs: `${url}/openai/v1`, `${url}/anthropic`, `${url}/gemini`.
 */
export class FakeLlmServer {
  readonly requests: RecordedRequest[] = [];
  private readonly queues: Record<FakeProvider, Behaviour[]> = { openai: [], anthropic: [], gemini: [] };
  defaultText = 'The boiler pressure should be between 1 and 1.5 bar.';
  private server!: Server;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  baseUrl(provider: FakeProvider): string {
    return { openai: `${this.url}/openai/v1`, anthropic: `${this.url}/anthropic`, gemini: `${this.url}/gemini` }[provider];
  }

  enqueue(provider: FakeProvider, ...behaviours: Behaviour[]): void {
    this.queues[provider].push(...behaviours);
  }

  reset(): void {
    this.requests.length = 0;
    for (const q of Object.values(this.queues)) q.length = 0;
  }

  count(provider: FakeProvider): number {
    return this.requests.filter((r) => r.provider === provider).length;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const url = new URL(req.url ?? '/', this.url);
    const provider: FakeProvider | null = url.pathname.startsWith('/openai/') ? 'openai' : url.pathname.startsWith('/anthropic/') ? 'anthropic' : url.pathname.startsWith('/gemini/') ? 'gemini' : null;
    if (!provider) {
      res.writeHead(404).end();
      return;
    }
    const body = raw ? JSON.parse(raw) : {};
    const stream = provider === 'gemini' ? url.pathname.includes(':streamGenerateContent') : body.stream === true;
    const record: RecordedRequest = { provider, path: url.pathname, body, headers: req.headers, stream, closedEarly: false };
    this.requests.push(record);
    res.on('close', () => {
      if (!res.writableFinished) record.closedEarly = true;
    });
    const behaviour = this.queues[provider].shift() ?? { kind: 'ok' };
    if (behaviour.kind === 'hang') return; // never answers; the client's timeout must end it
    if (behaviour.kind === 'status') {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (behaviour.retryAfter !== undefined) headers['retry-after'] = behaviour.retryAfter;
      res.writeHead(behaviour.status, headers).end(JSON.stringify(errorBody(provider, behaviour.status)));
      return;
    }
    const model = provider === 'gemini' ? decodeURIComponent(url.pathname.split('/models/')[1]?.split(':')[0] ?? 'gemini') : String(body.model);
    const text = behaviour.kind === 'parts' ? behaviour.parts.join('') : behaviour.kind === 'ok' && behaviour.json !== undefined ? JSON.stringify(behaviour.json) : behaviour.text ?? this.defaultText;
    const delayMs = behaviour.kind === 'slow' ? behaviour.delayMs : 0;
    if (stream) await this.stream(provider, res, model, text, delayMs, behaviour.kind === 'parts' ? behaviour.parts : undefined);
    else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(this.answer(provider, body, model, text, behaviour)));
  }

  private answer(provider: FakeProvider, body: any, model: string, text: string, behaviour: Behaviour): unknown {
    const completion = words(text).length;
    if (provider === 'openai') {
      return { id: 'chatcmpl-fake', object: 'chat.completion', created: 1, model, choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }], usage: { prompt_tokens: PROMPT_TOKENS, completion_tokens: completion, total_tokens: PROMPT_TOKENS + completion } };
    }
    if (provider === 'anthropic') {
      const tool = body.tool_choice?.name as string | undefined;
      const content = tool && behaviour.kind === 'ok' && behaviour.json !== undefined ? [{ type: 'tool_use', id: 'toolu_fake', name: tool, input: behaviour.json }] : [{ type: 'text', text }];
      return { id: 'msg_fake', type: 'message', role: 'assistant', model, content, stop_reason: tool ? 'tool_use' : 'end_turn', stop_sequence: null, usage: { input_tokens: PROMPT_TOKENS, output_tokens: completion } };
    }
    return { candidates: [{ content: { role: 'model', parts: [{ text }] }, finishReason: 'STOP', index: 0 }], usageMetadata: { promptTokenCount: PROMPT_TOKENS, candidatesTokenCount: completion, totalTokenCount: PROMPT_TOKENS + completion }, modelVersion: model };
  }

  private async stream(provider: FakeProvider, res: ServerResponse, model: string, text: string, delayMs: number, given?: string[]): Promise<void> {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const send = (data: unknown, event?: string) => res.write(`${event ? `event: ${event}\n` : ''}data: ${JSON.stringify(data)}\n\n`);
    const parts = given ?? words(text);
    if (provider === 'anthropic') send({ type: 'message_start', message: { id: 'msg_fake', type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: PROMPT_TOKENS, output_tokens: 1 } } }, 'message_start');
    if (provider === 'anthropic') send({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }, 'content_block_start');
    for (const [i, part] of parts.entries()) {
      if (res.destroyed) return;
      if (provider === 'openai') send({ id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: 1, model, choices: [{ index: 0, delta: i === 0 ? { role: 'assistant', content: part } : { content: part }, finish_reason: null }] });
      else if (provider === 'anthropic') send({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: part } }, 'content_block_delta');
      else send({ candidates: [{ content: { role: 'model', parts: [{ text: part }] }, index: 0 }], modelVersion: model });
      if (delayMs > 0) await sleep(delayMs);
    }
    if (res.destroyed) return;
    if (provider === 'openai') {
      send({ id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: 1, model, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] });
      send({ id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: 1, model, choices: [], usage: { prompt_tokens: PROMPT_TOKENS, completion_tokens: parts.length, total_tokens: PROMPT_TOKENS + parts.length } });
      res.write('data: [DONE]\n\n');
    } else if (provider === 'anthropic') {
      send({ type: 'content_block_stop', index: 0 }, 'content_block_stop');
      send({ type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: parts.length } }, 'message_delta');
      send({ type: 'message_stop' }, 'message_stop');
    } else {
      send({ candidates: [{ content: { role: 'model', parts: [{ text: '' }] }, finishReason: 'STOP', index: 0 }], usageMetadata: { promptTokenCount: PROMPT_TOKENS, candidatesTokenCount: parts.length, totalTokenCount: PROMPT_TOKENS + parts.length }, modelVersion: model });
    }
    res.end();
  }
}

function errorBody(provider: FakeProvider, status: number): unknown {
  const message = status === 429 ? 'Rate limit reached, slow down.' : status >= 500 ? 'The server had an error processing your request.' : 'Request rejected.';
  if (provider === 'anthropic') return { type: 'error', error: { type: status === 429 ? 'rate_limit_error' : 'api_error', message } };
  if (provider === 'gemini') return { error: { code: status, message, status: status === 429 ? 'RESOURCE_EXHAUSTED' : 'INTERNAL' } };
  return { error: { message, type: status === 429 ? 'rate_limit_exceeded' : 'server_error', code: null } };
}
