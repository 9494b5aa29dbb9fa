import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';

/** One Bot API call as the fake received it. */
export interface TelegramCall {
  token: string;
  method: string;
  payload: Record<string, any>;
}

type Answer = { status: number; body: Record<string, unknown> };

/**
 * A Telegram Bot API on loopback, for the real adapter to talk to: sendMessage and getFile as
 * documented (https://core.telegram.org/bots/api), file downloads under /file/bot<token>/<path>,
 * 401 for a token it does not know. sendPhoto and sendDocument take multipart uploads (the file is
 * recorded as { filename, type, size, sha256 }). `failNext` queues answers (a 429 with retry_after,
 * a 403 for a bot the user blocked) returned before the normal one; `failOn` queues one for a
 * method's next call only.
 */
export async function fakeTelegram(tokens: readonly string[]) {
  const calls: TelegramCall[] = [];
  const files = new Map<string, { path: string; content: Buffer }>();
  const queued: Answer[] = [];
  const queuedFor = new Map<string, Answer[]>();
  let nextMessageId = 1000;

  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const read = (req: IncomingMessage) =>
    new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => resolve(Buffer.concat(chunks)));
      req.on('error', reject);
    });

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const download = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
      if (download && req.method === 'GET') {
        const file = [...files.values()].find((f) => f.path === decodeURIComponent(download[2]!));
        if (!tokens.includes(download[1]!) || !file) return send(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(file.content.length) });
        return res.end(file.content);
      }
      const api = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
      if (!api) return send(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
      const [, token, method] = api as unknown as [string, string, string];
      const body = await read(req);
      let payload: Record<string, any> = {};
      if (String(req.headers['content-type']).startsWith('multipart/form-data')) {
        const form = await new Request('http://fake/', { method: 'POST', headers: { 'content-type': String(req.headers['content-type']) }, body }).formData();
        for (const [name, value] of form.entries()) {
          if (typeof value === 'string') payload[name] = value;
          else {
            const bytes = Buffer.from(await value.arrayBuffer());
            payload[name] = { filename: value.name, type: value.type, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
          }
        }
      } else if (body.length) payload = JSON.parse(body.toString('utf8')) as Record<string, any>;
      if (!tokens.includes(token)) return send(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
      calls.push({ token, method, payload });
      const failure = queuedFor.get(method)?.shift() ?? queued.shift();
      if (failure) return send(res, failure.status, failure.body);
      if (method === 'sendMessage') {
        if (typeof payload.text !== 'string' || payload.text.length === 0 || payload.chat_id === undefined) return send(res, 400, { ok: false, error_code: 400, description: 'Bad Request: message text is empty' });
        return send(res, 200, { ok: true, result: { message_id: nextMessageId++, date: Math.floor(Date.now() / 1000), chat: { id: Number(payload.chat_id), type: 'private' }, text: payload.text } });
      }
      if (method === 'sendPhoto' || method === 'sendDocument') {
        const file = payload[method === 'sendPhoto' ? 'photo' : 'document'];
        if (!file || typeof file !== 'object' || file.size === 0 || payload.chat_id === undefined) return send(res, 400, { ok: false, error_code: 400, description: 'Bad Request: there is no file in the request' });
        return send(res, 200, { ok: true, result: { message_id: nextMessageId++, date: Math.floor(Date.now() / 1000), chat: { id: Number(payload.chat_id), type: 'private' } } });
      }
      if (method === 'getFile') {
        const file = files.get(String(payload.file_id));
        if (!file) return send(res, 400, { ok: false, error_code: 400, description: 'Bad Request: invalid file_id' });
        return send(res, 200, { ok: true, result: { file_id: payload.file_id, file_unique_id: `u${payload.file_id}`, file_size: file.content.length, file_path: file.path } });
      }
      return send(res, 404, { ok: false, error_code: 404, description: 'Not Found: method not found' });
    })().catch((error: unknown) => send(res, 500, { ok: false, error_code: 500, description: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    /** Makes a file downloadable through getFile. */
    addFile(fileId: string, path: string, content: Buffer) {
      files.set(fileId, { path, content });
    },
    failNext(...answers: Answer[]) {
      queued.push(...answers);
    },
    failOn(method: string, ...answers: Answer[]) {
      queuedFor.set(method, [...(queuedFor.get(method) ?? []), ...answers]);
    },
    sent: (chatId: string | number) => calls.filter((c) => c.method === 'sendMessage' && String(c.payload.chat_id) === String(chatId)),
    /** Every send (text, photo, document) to a chat, in order. */
    sentAll: (chatId: string | number) => calls.filter((c) => c.method.startsWith('send') && String(c.payload.chat_id) === String(chatId)),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let nextUpdateId = 700_000_000 + Math.floor(Math.random() * 1_000_000);

/** Telegram Update objects in the documented shape (a private chat: chat.id equals from.id). */
export const telegramUpdates = {
  text(user: { id: number; first_name: string; last_name?: string; username?: string; language_code?: string }, text: string, updateId = nextUpdateId++) {
    return {
      update_id: updateId,
      message: { message_id: updateId % 100_000, from: { is_bot: false, ...user }, chat: { id: user.id, type: 'private', first_name: user.first_name, ...(user.last_name ? { last_name: user.last_name } : {}) }, date: Math.floor(Date.now() / 1000), text },
    };
  },
  photo(user: { id: number; first_name: string }, fileIds: string[], caption: string, updateId = nextUpdateId++) {
    return {
      update_id: updateId,
      message: {
        message_id: updateId % 100_000,
        from: { is_bot: false, ...user },
        chat: { id: user.id, type: 'private', first_name: user.first_name },
        date: Math.floor(Date.now() / 1000),
        photo: fileIds.map((id, i) => ({ file_id: id, file_unique_id: `u${id}`, file_size: 100 * (i + 1), width: 90 * (i + 1), height: 60 * (i + 1) })),
        caption,
      },
    };
  },
  document(user: { id: number; first_name: string }, fileId: string, fileName: string, mimeType: string, updateId = nextUpdateId++) {
    return {
      update_id: updateId,
      message: {
        message_id: updateId % 100_000,
        from: { is_bot: false, ...user },
        chat: { id: user.id, type: 'private', first_name: user.first_name },
        date: Math.floor(Date.now() / 1000),
        document: { file_id: fileId, file_unique_id: `u${fileId}`, file_name: fileName, mime_type: mimeType, file_size: 200 },
      },
    };
  },
  edited(user: { id: number; first_name: string }, text: string, updateId = nextUpdateId++) {
    return { update_id: updateId, edited_message: { message_id: 1, from: { is_bot: false, ...user }, chat: { id: user.id, type: 'private' }, date: Math.floor(Date.now() / 1000), edit_date: Math.floor(Date.now() / 1000), text } };
  },
};
