import { createHash } from 'node:crypto';
import { onFirstUse } from '@switchboard/platform';
import type * as Mailparser from 'mailparser';
import type { AddressObject, ParsedMail } from 'mailparser';
import type * as Nodemailer from 'nodemailer';
import type { InboundClassification } from '../domain/channel-kinds';
import { baseAddress, findTokens, normaliseMessageId, threadIndexRoot } from '../domain/email-threading';
import { stripQuotedText } from '../domain/quoted-text';
import { DeliveryError, type ChannelAdapter, type InboundMessage, type OutboundMessage, type SendResult } from './channel-adapter';

/** Where an email channel sends: its own SMTP server, or the platform default (CHANNELS_SMTP_URL). */
export interface SmtpSettings {
  host: string;
  port: number;
  secure: boolean;
  user?: string;
  pass?: string;
}

export interface EmailSendConfig {
  /** null: the development outbox (files under DATA_DIR/mail/channels). */
  smtp: SmtpSettings | null;
  from: { address: string; name?: string };
  /** Where `null` smtp writes the message. */
  outboxDir: string;
  timeoutMs: number;
}

const MAX_THREAD_KEYS = 50;

function addresses(field: AddressObject | AddressObject[] | undefined): { address: string; name?: string }[] {
  const list = Array.isArray(field) ? field : field ? [field] : [];
  return list.flatMap((group) => group.value).flatMap((a) => (a.address ? [{ address: a.address.toLowerCase(), ...(a.name ? { name: a.name } : {}) }] : []));
}

function header(parsed: ParsedMail, name: string): string | undefined {
  const value = parsed.headers.get(name);
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && 'value' in (value as object)) return String((value as { value: unknown }).value);
  if (typeof value === 'object' && 'text' in (value as object)) return String((value as { text: unknown }).text);
  return String(value);
}

const AUTO_SUBJECT = /^(out of (the )?office|automatic reply|auto(matic)?[- ]?(reply|response)|abwesenheitsnotiz|réponse automatique|autosvar)\b/i;

/**
 * Auto-replies, bounces, delivery reports and loops never open or reopen a ticket (RFC 3834
 * Auto-Submitted, the de-facto Precedence and X-Autoreply headers, RFC 3464 DSNs, mail from the
 * tenant's own addresses).
 */
export function classify(parsed: ParsedMail, raw: string, from: string, ownAddresses: readonly string[]): { classification: InboundClassification; report?: InboundMessage['report'] } {
  if (ownAddresses.includes(baseAddress(from))) return { classification: 'loop' };
  const contentType = raw.slice(0, Math.min(raw.length, 64 * 1024)).match(/^content-type:\s*multipart\/report[^\n]*(\n[ \t][^\n]*)*/im)?.[0] ?? '';
  if (/report-type="?delivery-status"?/i.test(contentType)) {
    const actions = [...raw.matchAll(/^Action:\s*([a-z]+)/gim)].map((m) => m[1]!.toLowerCase());
    const action = actions.includes('failed') ? 'failed' : actions.includes('delayed') ? 'delayed' : 'delivered';
    const recipients = [...raw.matchAll(/^Final-Recipient:\s*rfc822;\s*<?([^>\s]+)>?/gim)].map((m) => m[1]!.toLowerCase());
    const diagnostic = raw.match(/^Diagnostic-Code:\s*[a-z]+;\s*(.+(\n[ \t].+)*)/im)?.[1]?.replace(/\s+/g, ' ').trim() ?? raw.match(/^Status:\s*(\S+)/im)?.[1] ?? null;
    const messageIds = [...raw.matchAll(/^Message-ID:\s*(<[^>\s]+>)/gim)].map((m) => normaliseMessageId(m[1]!)).filter((id) => id !== normaliseMessageId(parsed.messageId ?? ''));
    return { classification: action === 'failed' ? 'bounce' : 'delivery_report', report: { messageIds, recipients, action, reason: diagnostic } };
  }
  const autoSubmitted = header(parsed, 'auto-submitted');
  if (autoSubmitted && autoSubmitted.trim().toLowerCase() !== 'no') return { classification: 'auto_reply' };
  const precedence = header(parsed, 'precedence')?.trim().toLowerCase();
  if (precedence && ['bulk', 'junk', 'list', 'auto_reply'].includes(precedence)) return { classification: 'auto_reply' };
  if (header(parsed, 'x-autoreply') || header(parsed, 'x-autorespond') || header(parsed, 'x-auto-reply')) return { classification: 'auto_reply' };
  if (/^(mailer-daemon|postmaster)@/i.test(from)) return { classification: 'bounce', report: { messageIds: [], recipients: [], action: 'failed', reason: parsed.subject ?? null } };
  if (AUTO_SUBJECT.test((parsed.subject ?? '').trim())) return { classification: 'auto_reply' };
  return { classification: 'message' };
}

const mailparser = onFirstUse<typeof Mailparser>('mailparser');
const nodemailer = onFirstUse<typeof Nodemailer>('nodemailer');

/** Email: MIME in through mailparser, out through nodemailer's SMTP client (both loaded with the first mail). */
export class EmailAdapter implements ChannelAdapter<EmailSendConfig> {
  readonly kind = 'email' as const;

  async parseInbound(raw: Buffer, { ownAddresses }: { ownAddresses: readonly string[] }): Promise<InboundMessage> {
    const parsed = await mailparser().simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true, maxHtmlLengthToParse: 2_000_000 });
    const from = addresses(parsed.from)[0] ?? addresses(parsed.replyTo)[0] ?? { address: 'unknown@invalid' };
    const references = (Array.isArray(parsed.references) ? parsed.references : parsed.references ? parsed.references.split(/\s+/) : []).filter(Boolean);
    const inReplyTo = parsed.inReplyTo ? parsed.inReplyTo.split(/\s+/).filter(Boolean) : [];
    const threadKeys = [...new Set([...inReplyTo, ...references.reverse()].map(normaliseMessageId))].slice(0, MAX_THREAD_KEYS);
    const recipients = [...addresses(parsed.to).map((a) => a.address), ...addresses(parsed.cc).map((a) => a.address), ...(header(parsed, 'delivered-to') ?? '').split(',').map((a) => a.trim().toLowerCase()).filter((a) => a.includes('@'))];
    const subject = (parsed.subject ?? '').trim().slice(0, 1000);
    const { classification, report } = classify(parsed, raw.toString('latin1'), from.address, ownAddresses);
    const text = parsed.text ?? '';
    const externalId = parsed.messageId ? normaliseMessageId(parsed.messageId) : `<sha256.${createHash('sha256').update(raw).digest('hex')}@switchboard.invalid>`;
    return {
      externalId,
      from,
      subject,
      body: stripQuotedText(text).slice(0, 100_000),
      html: null,
      threadKeys,
      tokens: findTokens({ addresses: recipients, subject, threadKeys }),
      conversationKey: threadIndexRoot(header(parsed, 'thread-index')),
      classification,
      ...(report ? { report } : {}),
      attachments: classification === 'message' ? parsed.attachments.filter((a) => a.contentDisposition !== 'inline' || a.filename).map((a) => ({ filename: a.filename ?? 'attachment', declaredType: a.contentType, content: a.content })) : [],
      recipients,
    };
  }

  async send(message: OutboundMessage, config: EmailSendConfig): Promise<SendResult> {
    const transport = config.smtp
      ? nodemailer().createTransport({
          host: config.smtp.host,
          port: config.smtp.port,
          secure: config.smtp.secure,
          ...(config.smtp.user ? { auth: { user: config.smtp.user, pass: config.smtp.pass ?? '' } } : {}),
          connectionTimeout: config.timeoutMs,
          greetingTimeout: config.timeoutMs,
          socketTimeout: config.timeoutMs,
          // A loopback sink in tests and self-hosted relays use self-signed certificates on STARTTLS.
          tls: { rejectUnauthorized: false },
        })
      : nodemailer().createTransport({ streamTransport: true, buffer: true, newline: 'crlf' });
    const headers: Record<string, string> = {};
    if (message.threadIndex) headers['Thread-Index'] = message.threadIndex;
    try {
      const info = await transport.sendMail({
        from: config.from.name ? { name: config.from.name, address: config.from.address } : config.from.address,
        to: message.to.name ? { name: message.to.name, address: message.to.address } : message.to.address,
        subject: message.subject,
        text: message.text,
        ...(message.html ? { html: message.html } : {}),
        messageId: message.messageId,
        ...(message.inReplyTo ? { inReplyTo: message.inReplyTo } : {}),
        ...(message.references.length ? { references: message.references } : {}),
        ...(message.replyTo ? { replyTo: message.replyTo } : {}),
        headers,
        attachments: await Promise.all(message.attachments.map(async (a) => ({ filename: a.filename, contentType: a.contentType, content: await a.open() }))),
      });
      if (!config.smtp) {
        const { mkdir, writeFile } = await import('node:fs/promises');
        const { join } = await import('node:path');
        await mkdir(config.outboxDir, { recursive: true });
        const name = createHash('sha256').update(message.messageId).digest('hex').slice(0, 32);
        await writeFile(join(config.outboxDir, `${name}.eml`), (info as unknown as { message: Buffer }).message);
        return { providerMessageId: `file:${name}` };
      }
      const response = String((info as { response?: unknown }).response ?? '');
      return { providerMessageId: (response.match(/queued as ([\w.-]+)/i)?.[1] ?? info.messageId ?? message.messageId).slice(0, 1000) };
    } catch (error) {
      throw toDeliveryError(error);
    } finally {
      transport.close();
    }
  }
}

/** SMTP 5xx is permanent; 4xx, timeouts and connection errors retry, after the server's hint when it gives one. */
export function toDeliveryError(error: unknown): DeliveryError {
  const e = error as { responseCode?: number; response?: string; code?: string; message?: string };
  const text = (e.response ?? e.message ?? String(error)).slice(0, 900);
  const hint = text.match(/(?:retry|try again)[^0-9]{0,20}(\d{1,5})\s*(s|sec|seconds|m|min|minutes)\b/i);
  const retryAfterMs = hint ? Number(hint[1]) * (/^m/i.test(hint[2]!) ? 60_000 : 1000) : null;
  if (typeof e.responseCode === 'number') return new DeliveryError(`SMTP ${e.responseCode}: ${text}`, e.responseCode >= 500, retryAfterMs);
  if (e.code === 'EAUTH') return new DeliveryError(`SMTP authentication failed: ${text}`, true);
  return new DeliveryError(`${e.code ? `${e.code}: ` : ''}${text}`, false, retryAfterMs);
}
