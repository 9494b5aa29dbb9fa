import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ChatStreamEvent } from '../chat/chat.port';
import { writeSse } from './sse';

describe('writeSse', () => {
  let server: Server;
  afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('delivers every event, the last ones written in the same turn as the end included', async () => {
    async function* events(): AsyncIterable<ChatStreamEvent> {
      for (const text of ['a', 'b', 'c']) {
        await new Promise((r) => setTimeout(r, 5));
        yield { type: 'delta', text };
      }
      // No wait: `c`, `done` and the end leave while the response is corked.
      yield { type: 'done', usage: { promptTokens: 1, completionTokens: 2 }, finishReason: 'stop', model: 'm' };
    }
    server = createServer((_req, res) => void writeSse(res, {}, events(), { provider: 'x' }));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const body = await (await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`)).text();
    const names = [...body.matchAll(/^event: (\w+)$/gm)].map((m) => m[1]);
    expect(names).toEqual(['start', 'delta', 'delta', 'delta', 'done']);
    expect(body).toContain('"promptTokens":1');
  });
});
