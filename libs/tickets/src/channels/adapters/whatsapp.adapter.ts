import { readAll } from '@switchboard/platform';
import { DeliveryError, type ChannelAdapter, type InboundAttachment, type InboundMessage, type OutboundMessage, type SendResult } from './channel-adapter';

/** What the WhatsApp adapter needs to call the Cloud API for one channel. */
export interface WhatsAppConfig {
  /** https://graph.facebook.com/v21.0, or a fake in tests. */
  apiUrl: string;
  accessToken: string;
  phoneNumberId: string;
  /** The platform's outbound client. */
  fetch: typeof fetch;
  maxFileBytes: number;
  retryAfterMaxMs: number;
}

/** A template message (the only kind WhatsApp delivers outside the 24-hour customer window). */
export interface WhatsAppTemplate {
  name: string;
  language: string;
  /** Body parameters {{1}}, {{2}}, … in order. */
  parameters: string[];
}

/** The body is not a Cloud API webhook in the documented shape. */
export class WhatsAppParseError extends Error {}

export interface WhatsAppInboundItem {
  wamid: string;
  from: string;
  name: string | null;
  phoneNumberId: string;
  message: Record<string, any>;
}

export interface WhatsAppStatusItem {
  wamid: string;
  status: 'sent' | 'delivered' | 'read' | 'failed';
  recipient: string | null;
  phoneNumberId: string;
  error: string | null;
}

const isObject = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);
const STATUSES = new Set(['sent', 'delivered', 'read', 'failed']);

export const whatsappExternalId = (wamid: string) => `whatsapp:${wamid}`;

/**
 * Reads a Cloud API webhook: `entry[].changes[]` with field "messages" carry `messages` (with the
 * sender's profile in `contacts`) and `statuses` of what we sent. Anything else is not ours to
 * keep. Throws on a body that is not a WhatsApp Business Account notification at all.
 */
export function readWhatsAppWebhook(body: unknown): { messages: WhatsAppInboundItem[]; statuses: WhatsAppStatusItem[] } {
  if (!isObject(body) || body.object !== 'whatsapp_business_account' || !Array.isArray(body.entry)) throw new WhatsAppParseError('The body is not a WhatsApp Business Account webhook (object, entry[]).');
  const messages: WhatsAppInboundItem[] = [];
  const statuses: WhatsAppStatusItem[] = [];
  for (const entry of body.entry) {
    if (!isObject(entry) || !Array.isArray(entry.changes)) throw new WhatsAppParseError('An entry has no changes[].');
    for (const change of entry.changes) {
      if (!isObject(change) || change.field !== 'messages' || !isObject(change.value)) continue;
      const value = change.value;
      const phoneNumberId = String(value.metadata?.phone_number_id ?? '');
      const names = new Map<string, string>();
      for (const contact of Array.isArray(value.contacts) ? value.contacts : []) {
        if (isObject(contact) && typeof contact.wa_id === 'string' && typeof contact.profile?.name === 'string') names.set(contact.wa_id, contact.profile.name);
      }
      for (const m of Array.isArray(value.messages) ? value.messages : []) {
        if (!isObject(m) || typeof m.id !== 'string' || typeof m.from !== 'string' || typeof m.type !== 'string' || m.id.length > 500 || !/^\d{3,20}$/.test(m.from)) {
          throw new WhatsAppParseError('A message needs id, from (digits) and type.');
        }
        messages.push({ wamid: m.id, from: m.from, name: names.get(m.from) ?? null, phoneNumberId, message: m });
      }
      for (const s of Array.isArray(value.statuses) ? value.statuses : []) {
        if (!isObject(s) || typeof s.id !== 'string' || !STATUSES.has(s.status)) throw new WhatsAppParseError('A status needs id and status (sent, delivered, read, failed).');
        const e = Array.isArray(s.errors) && isObject(s.errors[0]) ? s.errors[0] : null;
        const reason = e ? `WhatsApp ${e.code ?? ''}: ${e.title ?? e.message ?? 'failed'}${e.error_data?.details ? ` (${e.error_data.details})` : ''}`.slice(0, 900) : null;
        statuses.push({ wamid: s.id, status: s.status, recipient: typeof s.recipient_id === 'string' ? s.recipient_id : null, phoneNumberId, error: reason });
      }
    }
  }
  return { messages, statuses };
}

/** What one stored inbound row holds: the message and who sent it. */
export interface StoredWhatsAppMessage {
  phoneNumberId: string;
  name: string | null;
  message: Record<string, any>;
}

const MEDIA_TYPES = ['image', 'document', 'audio', 'video', 'sticker'] as const;
const EXTENSIONS: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp', 'application/pdf': 'pdf', 'audio/ogg': 'ogg', 'audio/mpeg': 'mp3', 'video/mp4': 'mp4' };

function textOf(message: Record<string, any>): string {
  switch (message.type) {
    case 'text':
      return String(message.text?.body ?? '');
    case 'button':
      return String(message.button?.text ?? '');
    case 'interactive':
      return String(message.interactive?.button_reply?.title ?? message.interactive?.list_reply?.title ?? '');
    case 'location':
      return `Location: ${message.location?.name ? `${message.location.name}, ` : ''}${message.location?.latitude}, ${message.location?.longitude}`;
    case 'reaction':
      return `Reaction ${message.reaction?.emoji ?? ''}`.trim();
    default: {
      const media = (MEDIA_TYPES as readonly string[]).includes(message.type) ? message[message.type] : null;
      if (media) return String(media.caption ?? '');
      return `(a ${String(message.type).slice(0, 40)} message, which is not shown here)`;
    }
  }
}

/**
 * WhatsApp through the Cloud API: messages in (text, buttons, media fetched by id), text,
 * template and document messages out. Rate limits (HTTP 429, codes 4, 80007, 130429, 131056)
 * and 5xx retry, after Retry-After when given (capped); an expired token or a refused message is
 * permanent; 131047 means the 24-hour window has closed.
 */
export class WhatsAppAdapter implements ChannelAdapter<WhatsAppConfig> {
  readonly kind = 'whatsapp' as const;

  async parseInbound(raw: Buffer, { config }: { ownAddresses: readonly string[]; config?: WhatsAppConfig }): Promise<InboundMessage> {
    let stored: StoredWhatsAppMessage;
    try {
      stored = JSON.parse(raw.toString('utf8')) as StoredWhatsAppMessage;
    } catch {
      throw new WhatsAppParseError('The stored message is not JSON.');
    }
    const m = stored.message;
    if (!isObject(m) || typeof m.id !== 'string' || typeof m.from !== 'string') throw new WhatsAppParseError('The stored message has no id or sender.');
    const body = textOf(m).slice(0, 100_000);
    const attachments: InboundAttachment[] = [];
    const notes: string[] = [];
    const media = (MEDIA_TYPES as readonly string[]).includes(m.type) && isObject(m[m.type]) ? (m[m.type] as Record<string, any>) : null;
    if (media && config && typeof media.id === 'string') {
      const file = await this.download(media.id, config);
      const type = String(media.mime_type ?? file?.type ?? 'application/octet-stream').split(';')[0]!.trim();
      const filename = typeof media.filename === 'string' ? media.filename : `${m.type}-${media.id}.${EXTENSIONS[type] ?? 'bin'}`;
      if (file) attachments.push({ filename, declaredType: type, content: file.content });
      else notes.push(`The file ${filename} could not be fetched from WhatsApp (or was larger than the size limit).`);
    }
    return {
      externalId: whatsappExternalId(m.id),
      from: { address: m.from, ...(stored.name ? { name: stored.name.slice(0, 200) } : {}) },
      subject: body.split('\n')[0]!.trim().slice(0, 80),
      body,
      html: null,
      threadKeys: [],
      tokens: [],
      conversationKey: null,
      classification: 'message',
      attachments,
      recipients: [],
      chat: { channel: 'whatsapp', externalId: m.from, language: null },
      ...(notes.length ? { notes } : {}),
    };
  }

  /** Text (or the template when given), then each attachment as a document; the first message's id is the delivery's. */
  async send(message: OutboundMessage & { template?: WhatsAppTemplate | null }, config: WhatsAppConfig): Promise<SendResult> {
    const to = message.to.address;
    const first = message.template
      ? await this.post(config, 'messages', {
          messaging_product: 'whatsapp',
          to,
          type: 'template',
          template: {
            name: message.template.name,
            language: { code: message.template.language },
            ...(message.template.parameters.length ? { components: [{ type: 'body', parameters: message.template.parameters.map((text) => ({ type: 'text', text })) }] } : {}),
          },
        })
      : await this.post(config, 'messages', { messaging_product: 'whatsapp', recipient_type: 'individual', to, type: 'text', text: { preview_url: false, body: message.text.slice(0, 4096) } });
    for (const attachment of message.attachments) {
      const content = await readAll(await attachment.open());
      const form = new FormData();
      form.append('messaging_product', 'whatsapp');
      form.append('type', attachment.contentType);
      form.append('file', new Blob([content], { type: attachment.contentType }), attachment.filename);
      const uploaded = (await this.call(config, `${config.phoneNumberId}/media`, { method: 'POST', body: form })) as { id?: string };
      if (!uploaded.id) throw new DeliveryError('WhatsApp media upload answered without an id', false);
      await this.post(config, 'messages', { messaging_product: 'whatsapp', recipient_type: 'individual', to, type: 'document', document: { id: uploaded.id, filename: attachment.filename } });
    }
    return { providerMessageId: first };
  }

  private async post(config: WhatsAppConfig, path: 'messages', payload: Record<string, unknown>): Promise<string> {
    const answer = (await this.call(config, `${config.phoneNumberId}/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) })) as { messages?: { id?: string }[] };
    const id = answer.messages?.[0]?.id;
    if (typeof id !== 'string') throw new DeliveryError('WhatsApp answered without a message id', false);
    return id.slice(0, 1000);
  }

  /** The media's bytes, or null when WhatsApp will not serve it or it is over the limit. */
  private async download(mediaId: string, config: WhatsAppConfig): Promise<{ content: Buffer; type: string | null } | null> {
    try {
      const meta = (await this.call(config, encodeURIComponent(mediaId), { method: 'GET' })) as { url?: string; mime_type?: string; file_size?: number };
      if (typeof meta.url !== 'string' || (meta.file_size ?? 0) > config.maxFileBytes) return null;
      const response = await config.fetch(meta.url, { headers: { authorization: `Bearer ${config.accessToken}` } });
      if (!response.ok) return null;
      const content = Buffer.from(await response.arrayBuffer());
      return content.length <= config.maxFileBytes ? { content, type: meta.mime_type ?? null } : null;
    } catch (error) {
      if (error instanceof DeliveryError && error.permanent) return null;
      throw error;
    }
  }

  private async call(config: WhatsAppConfig, path: string, init: RequestInit): Promise<unknown> {
    let response: Response;
    try {
      response = await config.fetch(`${config.apiUrl.replace(/\/$/, '')}/${path}`, { ...init, headers: { ...(init.headers as Record<string, string> | undefined), authorization: `Bearer ${config.accessToken}` } });
    } catch (error) {
      const e = error as { code?: string; message?: string };
      throw new DeliveryError(`WhatsApp: ${e.message ?? String(error)}`.replaceAll(config.accessToken, '<token>').slice(0, 900), e.code === 'OUTBOUND_REFUSED');
    }
    let answer: Record<string, any>;
    try {
      answer = (await response.json()) as Record<string, any>;
    } catch {
      throw new DeliveryError(`WhatsApp: HTTP ${response.status} without a JSON answer`, response.status < 500 && response.status !== 429);
    }
    if (response.ok && !answer.error) return answer;
    const e = isObject(answer.error) ? answer.error : {};
    const code = Number(e.code ?? 0);
    const text = `WhatsApp ${response.status}${code ? ` (code ${code})` : ''}: ${String(e.message ?? 'no message')}${e.error_data?.details ? ` — ${e.error_data.details}` : ''}`.slice(0, 900);
    const header = Number(response.headers.get('retry-after'));
    const retryAfterMs = Number.isFinite(header) && header > 0 ? Math.min(header * 1000, config.retryAfterMaxMs) : null;
    if (response.status === 429 || [4, 80007, 130429, 131056].includes(code)) throw new DeliveryError(text, false, retryAfterMs);
    if (response.status >= 500) throw new DeliveryError(text, false, retryAfterMs);
    if (code === 131047) throw new DeliveryError(`${text}. More than 24 hours have passed since the customer last wrote: send a template message.`, true);
    throw new DeliveryError(text, true);
  }
}
