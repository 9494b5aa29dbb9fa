import { appendFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config.schema';

export interface MailAttachment {
  filename: string;
  /** With its parameters, e.g. `text/calendar; method=REQUEST; charset=utf-8`. */
  contentType: string;
  content: string;
  /** `base64` for binary content (a PDF); absent: `content` is the text itself. */
  encoding?: 'base64';
}

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  /** An HTML alternative to `text` (the text stays the full message). */
  html?: string;
  /** Defaults to MAIL_FROM. */
  from?: string;
  attachments?: MailAttachment[];
}

/** Outgoing email. The SMTP/provider adapter arrives with the email channel. */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

export const MAILER = Symbol('MAILER');

/**
 * Development mailer: logs each message and appends it to DATA_DIR/mail/outbox.jsonl, so a
 * developer (or a test) can open the invitation link without a mail server.
 */
@Injectable()
export class FileMailer implements Mailer {
  private readonly logger = new Logger('Mailer');

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async send(message: MailMessage): Promise<void> {
    const dir = join(this.config.DATA_DIR, 'mail');
    await mkdir(dir, { recursive: true });
    await appendFile(join(dir, 'outbox.jsonl'), `${JSON.stringify({ from: this.config.MAIL_FROM, ...message, sentAt: new Date().toISOString() })}\n`);
    this.logger.log({ to: message.to, subject: message.subject }, `Email written to ${join(dir, 'outbox.jsonl')}`);
  }
}
