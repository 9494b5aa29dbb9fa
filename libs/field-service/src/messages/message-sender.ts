import { Inject, Injectable, Logger } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { GetAddressQuery, GetContactQuery, type AddressView, type ContactView } from '@switchboard/customers';
import { APP_CONFIG, MAILER, ProblemException, TenantTransaction, type AppConfig, type CommandContext, type Mailer } from '@switchboard/platform';
import { GetTenantQuery, type TenantView } from '@switchboard/tenancy';
import { visitInvite } from '../domain/calendar-invite';
import { formattingLocale, formatWhen, formatWindow, messageLanguage, renderMessage } from '../domain/message-templates';
import { INVITE_KINDS, isTimeZone, MAX_SEND_ATTEMPTS, retryDelayMs, staleReason } from '../domain/messages';
import { JobsRepository } from '../repositories/jobs.repository';
import type { JobView } from '../repositories/jobs.sql';
import { MessagesRepository } from '../repositories/messages.repository';
import type { MessageView } from '../repositories/messages.sql';
import { VisitsRepository } from '../repositories/visits.repository';
import type { VisitView } from '../repositories/visits.sql';
import { MessageDispatcher } from './message-dispatcher';

/** A reason that retrying will not fix (no address to write to, the customer is gone). */
class Undeliverable extends Error {}

interface Claimed {
  message: MessageView & { sequence: number };
  job: JobView;
  visit: VisitView | undefined;
}

/**
 * Sends one due message once. A transaction claims it (pending → sending; a second worker or a
 * redelivered job finds nothing to claim) and checks it still holds (a moved or cancelled visit
 * cancels it instead); then, outside any transaction, it is rendered in the customer's language
 * and zone and mailed, with a calendar invite for visit notices; a last transaction marks it sent.
 * A failure is retried with backoff up to MAX_SEND_ATTEMPTS, then the message is failed with the
 * error. A worker that stops between claim and mark leaves it `sending`; the sweep fails it after
 * SENDING_TIMEOUT_MS rather than risk a second copy.
 */
@Injectable()
export class MessageSender {
  private readonly logger = new Logger(MessageSender.name);

  constructor(
    private readonly tx: TenantTransaction,
    private readonly queries: QueryBus,
    private readonly jobs: JobsRepository,
    private readonly visits: VisitsRepository,
    private readonly messages: MessagesRepository,
    private readonly dispatcher: MessageDispatcher,
    @Inject(MAILER) private readonly mailer: Mailer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async send(tenantId: string, messageId: string): Promise<MessageView | undefined> {
    const context: CommandContext = { tenantId, actorId: null, correlationId: null };
    const claimed = await this.tx.run(context, async (tx): Promise<Claimed | undefined> => {
      const message = await this.messages.claim(tx, messageId);
      if (!message) return undefined;
      const job = await this.jobs.find(tx, message.jobId);
      const visit = message.visitId ? await this.visits.find(tx, message.visitId) : undefined;
      const stale = job ? staleReason(message, visit) : 'The job no longer exists.';
      if (stale) {
        await this.messages.finish(tx, messageId, 'cancelled', stale, ['sending']);
        return undefined;
      }
      return { message, job: job!, visit };
    });
    if (!claimed) return undefined;

    let outcome: { recipient: string; locale: string; subject: string };
    try {
      outcome = await this.deliver(tenantId, claimed);
    } catch (error) {
      return this.failed(context, claimed.message, error);
    }
    return this.tx.run(context, async (tx) => {
      const sent = await this.messages.sent(tx, messageId, outcome);
      if (sent?.followUpId) await this.messages.followUpDone(tx, sent.followUpId);
      return sent;
    });
  }

  private async deliver(tenantId: string, { message, job, visit }: Claimed): Promise<{ recipient: string; locale: string; subject: string }> {
    const [contact, tenant, address] = await Promise.all([
      this.queries.execute(new GetContactQuery(tenantId, message.contactId)).catch((error: unknown) => {
        if (error instanceof ProblemException && error.getStatus() === 404) throw new Undeliverable('The contact no longer exists.');
        throw error;
      }) as Promise<ContactView>,
      this.queries.execute(new GetTenantQuery(tenantId)) as Promise<TenantView>,
      this.queries.execute(new GetAddressQuery(tenantId, job.addressId)).catch(() => null) as Promise<AddressView | null>,
    ]);
    const recipient = contact.emails[0];
    if (!recipient) throw new Undeliverable('The contact has no email address; nothing was sent.');

    const language = messageLanguage(contact.locale, tenant.locale);
    const locale = formattingLocale(language, contact.locale, tenant.locale);
    const timeZone = [contact.timezone, tenant.timezone].find((z): z is string => !!z && isTimeZone(z)) ?? 'UTC';
    const start = message.visitStart ? new Date(message.visitStart) : null;
    const window = visit?.arrivalWindowStart && visit.arrivalWindowEnd ? formatWindow(new Date(visit.arrivalWindowStart), new Date(visit.arrivalWindowEnd), locale, timeZone) : null;
    const location = address ? oneLine(address) : null;
    const rendered = renderMessage(message.kind, language, {
      customerName: contact.name,
      company: tenant.name,
      jobTitle: job.title,
      when: start ? formatWhen(start, locale, timeZone) : null,
      arrivalWindow: window,
      address: location,
      timeZone,
    });
    const attachments =
      INVITE_KINDS.includes(message.kind) && start && message.visitEnd && message.visitId
        ? [
            {
              filename: 'invite.ics',
              contentType: `text/calendar; method=${message.kind === 'visit_cancelled' ? 'CANCEL' : 'REQUEST'}; charset=utf-8`,
              content: visitInvite({
                visitId: message.visitId,
                uidHost: this.config.MAIL_FROM.split('@')[1] ?? 'switchboard.localhost',
                sequence: message.sequence,
                start,
                end: new Date(message.visitEnd),
                title: `${tenant.name}: ${job.title}`,
                description: rendered.text,
                location,
                organizer: { name: tenant.name, email: this.config.MAIL_FROM },
                attendee: { name: contact.name, email: recipient },
                cancelled: message.kind === 'visit_cancelled',
              }),
            },
          ]
        : undefined;
    await this.mailer.send({ to: recipient, subject: rendered.subject, text: rendered.text, ...(attachments ? { attachments } : {}) });
    return { recipient, locale, subject: rendered.subject };
  }

  private async failed(context: CommandContext, message: MessageView, error: unknown): Promise<MessageView | undefined> {
    const reason = error instanceof Error ? error.message : String(error);
    if (error instanceof Undeliverable || message.attempts >= MAX_SEND_ATTEMPTS) {
      this.logger.warn({ tenantId: context.tenantId, messageId: message.id, attempts: message.attempts, error: reason }, 'Scheduled message failed');
      return this.tx.run(context, (tx) => this.messages.finish(tx, message.id, 'failed', reason, ['sending']));
    }
    const at = new Date(Date.now() + retryDelayMs(message.attempts));
    this.logger.warn({ tenantId: context.tenantId, messageId: message.id, attempts: message.attempts, retryAt: at.toISOString(), error: reason }, 'Scheduled message not sent; retrying later');
    const view = await this.tx.run(context, (tx) => this.messages.retryLater(tx, message.id, at, reason));
    await this.dispatcher.queue([{ tenantId: context.tenantId, id: message.id, sendAt: at }]);
    return view;
  }
}

function oneLine(a: AddressView): string {
  return [a.street, [a.postalCode, a.city].filter(Boolean).join(' '), a.region, a.country].filter((p) => typeof p === 'string' && p.trim()).join(', ');
}
