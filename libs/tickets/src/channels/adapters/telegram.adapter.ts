import { DeliveryError, type ChannelAdapter, type InboundAttachment, type InboundMessage, type OutboundMessage, type SendResult } from './channel-adapter';

/** What the Telegram adapter needs to call the Bot API for one channel. */
export interface TelegramConfig {
  /** https://api.telegram.org, or a self-hosted Bot API server. */
  apiUrl: string;
  botToken: string;
  /** The platform's outbound client (address policy, timeouts, size cap). */
  fetch: typeof fetch;
  maxFileBytes: number;
  /** retry_after hints longer than this are capped. */
  retryAfterMaxMs: number;
}

interface TelegramUser {
  id: number;
  is_bot?: boolean;
  first_name?: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

interface TelegramFile {
  file_id: string;
  file_unique_id?: string;
  file_size?: number;
}

interface TelegramMessage {
  message_id: number;
  date: number;
  chat: { id: number; type: string; title?: string; first_name?: string; last_name?: string; username?: string };
  from?: TelegramUser;
  text?: string;
  caption?: string;
  photo?: (TelegramFile & { width: number; height: number })[];
  document?: TelegramFile & { file_name?: string; mime_type?: string };
}

/** An update as the webhook reads it: its id, and the message when it carries one we handle. */
export interface TelegramUpdate {
  updateId: number;
  message: TelegramMessage | null;
}

/** The body is not an update in the Bot API's documented shape. */
export class TelegramParseError extends Error {}

const MAX_TEXT = 4096;
/** The Bot API takes files up to 50 MB from bots, photos up to 10 MB (larger photos go as documents). */
const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;
const MAX_PHOTO_BYTES = 10 * 1024 * 1024;
const PHOTO_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp']);

async function readAll(stream: AsyncIterable<Buffer | string>, limit: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += b.length;
    if (size > limit) return null;
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads a webhook body as a Telegram Update: `update_id` is required (it is the idempotency key);
 * `message` with a chat id is what becomes ticket activity. Other update kinds (edits, channel
 * posts, callbacks) are acknowledged and not stored.
 */
export function readTelegramUpdate(body: unknown): TelegramUpdate {
  if (!isObject(body) || !Number.isSafeInteger(body.update_id) || (body.update_id as number) < 0) throw new TelegramParseError('The body is not a Telegram Update: update_id is missing.');
  const updateId = body.update_id as number;
  const message = body.message;
  if (message === undefined) return { updateId, message: null };
  if (!isObject(message) || !isObject(message.chat) || !Number.isSafeInteger(message.chat.id) || !Number.isSafeInteger(message.message_id)) {
    throw new TelegramParseError('The update’s message has no chat id or message_id.');
  }
  const m = message as unknown as TelegramMessage;
  if (m.text !== undefined && typeof m.text !== 'string') throw new TelegramParseError('message.text must be a string.');
  if (m.caption !== undefined && typeof m.caption !== 'string') throw new TelegramParseError('message.caption must be a string.');
  if (m.photo !== undefined && (!Array.isArray(m.photo) || m.photo.some((p) => !isObject(p) || typeof p.file_id !== 'string'))) throw new TelegramParseError('message.photo must be an array of PhotoSize.');
  if (m.document !== undefined && (!isObject(m.document) || typeof m.document.file_id !== 'string')) throw new TelegramParseError('message.document must be a Document.');
  if (m.from !== undefined && (!isObject(m.from) || !Number.isSafeInteger(m.from.id))) throw new TelegramParseError('message.from must be a User.');
  return { updateId, message: m };
}

export const telegramExternalId = (updateId: number) => `telegram:${updateId}`;

function displayName(user: TelegramUser | undefined, chat: TelegramMessage['chat']): string | undefined {
  const name = [user?.first_name ?? chat.first_name, user?.last_name ?? chat.last_name].filter(Boolean).join(' ').trim();
  return (name || (user?.username ?? chat.username) || chat.title || undefined)?.slice(0, 200);
}

interface BotApiAnswer<T> {
  ok: boolean;
  result?: T;
  error_code?: number;
  description?: string;
  parameters?: { retry_after?: number; migrate_to_chat_id?: number };
}

/**
 * Telegram through the Bot API: updates in (text, captions, photos and documents, the files
 * fetched with getFile), replies out with sendMessage. 429 carries `retry_after` (honoured, capped);
 * other 4xx (chat not found, bot blocked, bad token) are permanent; 5xx and network errors retry.
 */
export class TelegramAdapter implements ChannelAdapter<TelegramConfig> {
  readonly kind = 'telegram' as const;

  async parseInbound(raw: Buffer, { config }: { ownAddresses: readonly string[]; config?: TelegramConfig }): Promise<InboundMessage> {
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      throw new TelegramParseError('The stored update is not JSON.');
    }
    const { updateId, message } = readTelegramUpdate(body);
    if (!message) throw new TelegramParseError('The update carries no message.');
    const text = (message.text ?? message.caption ?? '').slice(0, 100_000);
    const attachments: InboundAttachment[] = [];
    const notes: string[] = [];
    if (config) {
      const wanted: { file: TelegramFile; filename: string; declaredType: string }[] = [];
      if (message.photo?.length) {
        // Sizes come smallest first: the largest one under the limit.
        const sizes = message.photo.filter((p) => (p.file_size ?? 0) <= config.maxFileBytes);
        const best = sizes.at(-1);
        if (best) wanted.push({ file: best, filename: `photo-${best.file_unique_id ?? message.message_id}.jpg`, declaredType: 'image/jpeg' });
        else notes.push('A photo was larger than the size limit and was not kept.');
      }
      if (message.document) {
        const d = message.document;
        if ((d.file_size ?? 0) > config.maxFileBytes) notes.push(`The file ${d.file_name ?? 'document'} was larger than the size limit and was not kept.`);
        else wanted.push({ file: d, filename: d.file_name ?? `document-${d.file_unique_id ?? message.message_id}`, declaredType: d.mime_type ?? 'application/octet-stream' });
      }
      for (const w of wanted) {
        const content = await this.download(w.file.file_id, config);
        if (content) attachments.push({ filename: w.filename, declaredType: w.declaredType, content });
        else notes.push(`The file ${w.filename} could not be fetched from Telegram.`);
      }
    }
    const chatId = String(message.chat.id);
    const name = displayName(message.from, message.chat);
    return {
      externalId: telegramExternalId(updateId),
      from: { address: chatId, ...(name ? { name } : {}) },
      subject: text.split('\n')[0]!.trim().slice(0, 80),
      body: text,
      html: null,
      threadKeys: [],
      tokens: [],
      conversationKey: null,
      classification: message.from?.is_bot ? 'auto_reply' : 'message',
      attachments,
      recipients: [],
      chat: { channel: 'telegram', externalId: String(message.from?.id ?? message.chat.id), language: message.from?.language_code ?? null },
      ...(notes.length ? { notes } : {}),
    };
  }

  /**
   * The text with sendMessage, then each file with sendPhoto (JPEG, PNG, WebP up to 10 MB) or
   * sendDocument, uploaded as multipart. Each part is recorded as it leaves and skipped when an
   * earlier attempt sent it, so a retry after a 429 on the second file sends only what is missing.
   */
  async send(message: OutboundMessage, config: TelegramConfig): Promise<SendResult> {
    const chatId = message.to.address;
    const sent = message.parts?.sent ?? {};
    let first: string | null = sent.text ?? null;
    const done = async (part: string, result: { message_id: number }) => {
      const id = `${chatId}:${result.message_id}`;
      await message.parts?.record(part, id);
      first ??= id;
    };
    const text = message.text.length > MAX_TEXT ? `${message.text.slice(0, MAX_TEXT - 1)}…` : message.text;
    if (text.trim() && !sent.text) await done('text', await this.call<{ message_id: number }>(config, 'sendMessage', { chat_id: chatId, text }));
    for (const [i, file] of message.attachments.entries()) {
      const part = `file:${file.key ?? i}`;
      if (sent[part]) {
        first ??= sent[part]!;
        continue;
      }
      const bytes = await readAll(await file.open(), MAX_UPLOAD_BYTES);
      if (!bytes) throw new DeliveryError(`The file ${file.filename} is larger than the 50 MB Telegram accepts from bots.`, true);
      const photo = PHOTO_TYPES.has(file.contentType) && bytes.length <= MAX_PHOTO_BYTES;
      const form = new FormData();
      form.append('chat_id', chatId);
      form.append(photo ? 'photo' : 'document', new Blob([new Uint8Array(bytes)], { type: file.contentType }), file.filename);
      await done(part, await this.call<{ message_id: number }>(config, photo ? 'sendPhoto' : 'sendDocument', form));
    }
    if (!first) throw new DeliveryError('The reply has neither text nor files to send.', true);
    return { providerMessageId: first };
  }

  /** The file's bytes, or null when Telegram will not serve it (expired, too big for the Bot API). */
  private async download(fileId: string, config: TelegramConfig): Promise<Buffer | null> {
    try {
      const file = await this.call<{ file_path?: string; file_size?: number }>(config, 'getFile', { file_id: fileId });
      if (!file.file_path || (file.file_size ?? 0) > config.maxFileBytes) return null;
      const path = file.file_path.split('/').map(encodeURIComponent).join('/');
      const response = await config.fetch(`${config.apiUrl.replace(/\/$/, '')}/file/bot${config.botToken}/${path}`);
      if (!response.ok) return null;
      const bytes = Buffer.from(await response.arrayBuffer());
      return bytes.length <= config.maxFileBytes ? bytes : null;
    } catch (error) {
      // A failure to reach Telegram is retried with the whole message; a refusal is not.
      if (error instanceof DeliveryError && error.permanent) return null;
      throw error;
    }
  }

  /** A Bot API method with a JSON body, or a multipart one (FormData) for uploads. */
  private async call<T>(config: TelegramConfig, method: string, payload: Record<string, unknown> | FormData): Promise<T> {
    let response: Response;
    try {
      response = await config.fetch(
        `${config.apiUrl.replace(/\/$/, '')}/bot${config.botToken}/${method}`,
        payload instanceof FormData ? { method: 'POST', body: payload } : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) },
      );
    } catch (error) {
      const e = error as { code?: string; message?: string };
      // The address policy refusing the host is not worth retrying.
      throw new DeliveryError(`Telegram ${method}: ${e.message ?? String(error)}`.replaceAll(config.botToken, '<token>').slice(0, 900), e.code === 'OUTBOUND_REFUSED');
    }
    let answer: BotApiAnswer<T>;
    try {
      answer = (await response.json()) as BotApiAnswer<T>;
    } catch {
      throw new DeliveryError(`Telegram ${method}: HTTP ${response.status} without a JSON answer`, response.status < 500 && response.status !== 429);
    }
    if (answer.ok && answer.result !== undefined) return answer.result;
    const code = answer.error_code ?? response.status;
    const description = `Telegram ${method} ${code}: ${answer.description ?? 'no description'}`.slice(0, 900);
    if (code === 429) {
      const hint = answer.parameters?.retry_after;
      throw new DeliveryError(description, false, typeof hint === 'number' && hint >= 0 ? Math.min(hint * 1000, config.retryAfterMaxMs) : null);
    }
    throw new DeliveryError(description, code >= 400 && code < 500);
  }
}
