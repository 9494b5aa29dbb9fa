import { appendFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config.schema';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
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
    await appendFile(join(dir, 'outbox.jsonl'), `${JSON.stringify({ ...message, sentAt: new Date().toISOString() })}\n`);
    this.logger.log({ to: message.to, subject: message.subject }, `Email written to ${join(dir, 'outbox.jsonl')}`);
  }
}
