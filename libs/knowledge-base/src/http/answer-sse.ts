import type { ServerResponse } from 'node:http';
import { PROBLEM_TYPE_BASE } from '@switchboard/platform';
import type { AnswerStream } from '../commands/answer-question/answer-question.command';
import { answerResponse } from './request-info';

/**
 * A streamed answer as Server-Sent Events, like `POST /v1/ai/completions`: `start`
 * ({provider, model}), `delta` ({text}, the model's words with `[n]` as written), then `done` with
 * the same body as the plain answer (resolved text and citations), or `error`.
 */
export async function writeAnswerSse(res: unknown, stream: AnswerStream, options: { headers?: Record<string, string>; errorDetail: (error: Error) => string }): Promise<void> {
  const raw = ((res as { raw?: ServerResponse }).raw ?? res) as ServerResponse;
  raw.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache, no-transform', Connection: 'keep-alive', 'X-Accel-Buffering': 'no', ...(options.headers ?? {}) });
  const send = (event: string, data: unknown) => raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  send('start', { provider: stream.provider, model: stream.model });
  try {
    for await (const text of stream.deltas) {
      if (raw.destroyed) break;
      send('delta', { text });
    }
    if (!raw.destroyed) send('done', answerResponse(stream.result(), null));
  } catch (error) {
    if (!raw.destroyed) send('error', { type: `${PROBLEM_TYPE_BASE}answers-unavailable`, title: 'Bad Gateway', status: 502, detail: options.errorDetail(error as Error) });
  }
  raw.end();
}
