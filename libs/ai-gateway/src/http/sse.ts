import type { ServerResponse } from 'node:http';
import type { ChatStreamEvent } from '../chat/chat.port';

/**
 * The one place that touches the raw response: Server-Sent Events over node's ServerResponse
 * (express's `res` is one; fastify's is `reply.raw`), so the controller stays adapter-neutral.
 */
export function rawResponse(res: unknown): ServerResponse {
  const r = res as { raw?: ServerResponse };
  return r.raw ?? (res as ServerResponse);
}

/** Aborts when the client goes away before the response finished. */
export function abortOnClose(res: unknown): AbortController {
  const raw = rawResponse(res);
  const controller = new AbortController();
  raw.on('close', () => {
    if (!raw.writableFinished) controller.abort();
  });
  return controller;
}

export async function writeSse(res: unknown, headers: Record<string, string>, events: AsyncIterable<ChatStreamEvent>, meta: Record<string, unknown>): Promise<void> {
  const raw = rawResponse(res);
  raw.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache, no-transform', Connection: 'keep-alive', 'X-Accel-Buffering': 'no', ...headers });
  // Events that arrive together (one upstream read often holds several) leave in one socket write.
  let corked = false;
  const uncork = () => {
    if (!corked) return;
    corked = false;
    raw.uncork();
  };
  const send = (event: string, data: unknown) => {
    if (!corked) {
      corked = true;
      raw.cork();
      process.nextTick(uncork);
    }
    raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };
  send('start', meta);
  try {
    for await (const event of events) {
      if (raw.destroyed) break;
      if (event.type === 'delta') send('delta', { text: event.text });
      else send('done', { usage: event.usage, finishReason: event.finishReason, model: event.model, extractive: event.extractive === true });
    }
  } catch (error) {
    if (!raw.destroyed) send('error', { type: 'https://switchboard.dev/problems/ai-provider-failed', title: 'Bad Gateway', status: 502, detail: `The AI provider failed mid-stream: ${(error as Error).message.slice(0, 300)}` });
  }
  // Node 22 drops what a corked response holds when it ends: flush first.
  uncork();
  raw.end();
}
