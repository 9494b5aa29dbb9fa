import { createHash } from 'node:crypto';
import { Inject, Logger } from '@nestjs/common';
import { CommandBus, CommandHandler, QueryBus, type ICommandHandler } from '@nestjs/cqrs';
import { FindOrCreateContactCommand } from '@switchboard/customers';
import { notFound, ProblemException, QueueRegistry, TenantTransaction, type CommandContext } from '@switchboard/platform';
import { FindPublicTenantQuery, type PublicTenant } from '@switchboard/tenancy';
import { AddMessageCommand } from '../../../commands/add-message/add-message.command';
import { CreateTicketCommand } from '../../../commands/create-ticket/create-ticket.command';
import { FormSigner } from '../../adapters/form-signer.service';
import { ChannelDeliveryUpdated, channelsConfig, DeliverMessage, type ChannelsConfig } from '../../channels.registration';
import { newToken } from '../../domain/email-threading';
import { verifyFormToken } from '../../domain/form-token';
import { localeChain, render, shippedTemplate } from '../../domain/message-templates';
import { ChannelsRepository, type DeliveryView } from '../../repositories/channels.repository';
import { ContactFormRepository, type ContactFormField } from '../../repositories/contact-form.repository';
import { MessageTemplatesRepository } from '../../repositories/message-templates.repository';
import { SubmitContactFormCommand, type ContactFormInput, type ContactFormReceipt } from './submit-contact-form.command';

const invalid = (field: string, message: string) => new ProblemException({ status: 400, type: 'validation-failed', title: 'Bad Request', detail: `${field} ${message}.`, errors: [{ field, message }] });

/** The tenant's extra fields, checked: required ones present, no unknown keys, within their length. */
export function checkExtraFields(defined: readonly ContactFormField[], given: Record<string, string> | undefined): { label: string; value: string }[] {
  const values = given ?? {};
  for (const key of Object.keys(values)) if (!defined.some((f) => f.key === key)) throw invalid(`fields.${key}`, 'is not a field of this form');
  const out: { label: string; value: string }[] = [];
  for (const field of defined) {
    const value = values[field.key]?.trim() ?? '';
    if (!value && field.required) throw invalid(`fields.${field.key}`, 'is required');
    if (value.length > field.maxLength) throw invalid(`fields.${field.key}`, `must be at most ${field.maxLength} characters`);
    if (value) out.push({ label: field.label, value });
  }
  return out;
}

/** What the ticket's first message says: the visitor's text, then what else they filled in. */
export function messageBody(input: ContactFormInput, extras: { label: string; value: string }[]): string {
  const details = [...(input.phone ? [{ label: 'Phone', value: input.phone }] : []), ...(input.company ? [{ label: 'Company', value: input.company }] : []), ...extras];
  return details.length ? `${input.message.trim()}\n\n---\n${details.map((d) => `${d.label}: ${d.value}`).join('\n')}` : input.message.trim();
}

/**
 * A contact-form submission becomes a ticket from a found-or-created contact, once its token is
 * this tenant's, old enough (the minimum fill time) and fresh enough; a filled honeypot is kept
 * as spam and answered like a success. Each address may submit the tenant's hourly number of
 * times. When the tenant has an email channel, the ticket lives on it (agent replies go by mail)
 * and a confirmation with the ticket's number leaves through its delivery queue, rendered from
 * the `contact_form.confirmation` template in the visitor's language.
 */
@CommandHandler(SubmitContactFormCommand)
export class SubmitContactFormHandler implements ICommandHandler<SubmitContactFormCommand> {
  private readonly logger = new Logger(SubmitContactFormHandler.name);

  constructor(
    private readonly tx: TenantTransaction,
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly forms: ContactFormRepository,
    private readonly channels: ChannelsRepository,
    private readonly templates: MessageTemplatesRepository,
    private readonly signer: FormSigner,
    private readonly queues: QueueRegistry,
    @Inject(channelsConfig.token) private readonly config: ChannelsConfig,
  ) {}

  async execute({ tenantSlug, input, ip, correlationId }: SubmitContactFormCommand): Promise<ContactFormReceipt> {
    const tenant: PublicTenant | null = await this.queries.execute(new FindPublicTenantQuery(tenantSlug));
    if (!tenant) throw notFound('Contact form', `"${tenantSlug.slice(0, 80)}"`);
    const key = await this.signer.ready();
    const context: CommandContext = { tenantId: tenant.id, actorId: null, actorType: 'system', correlationId };
    const ipHash = createHash('sha256').update(`${tenant.id}:${ip ?? 'unknown'}`).digest('hex');
    let queued: DeliveryView | undefined;
    const receipt = await this.tx.run(context, async (tx) => {
      const settings = await this.forms.settings(tx);
      if (!settings.enabled) throw notFound('Contact form', `"${tenantSlug.slice(0, 80)}"`);
      const verdict = verifyFormToken(key, input.formToken, tenant.id, { nowMs: Date.now(), minFillMs: settings.minFillSeconds * 1000, maxAgeMs: this.config.CHANNELS_FORM_MAX_AGE_SECONDS * 1000 });
      if (!verdict.ok && verdict.reason === 'too-fast') {
        throw new ProblemException({ status: 422, type: 'contact-form-too-fast', title: 'Unprocessable Content', detail: `The form was sent less than ${settings.minFillSeconds} s after it was shown; wait a moment and send it again.` });
      }
      if (!verdict.ok) {
        throw new ProblemException({ status: 400, type: 'contact-form-token-invalid', title: 'Bad Request', detail: verdict.reason === 'expired' ? 'The form has expired; load it again.' : 'The form token is not valid for this contact form; load the form again.', errors: [{ field: 'formToken', message: verdict.reason }] });
      }
      const extras = checkExtraFields(settings.fields, input.fields);
      if ((await this.forms.lockAndCountRecent(tx, ipHash)) >= settings.perIpPerHour) {
        throw new ProblemException({ status: 429, type: 'contact-form-limit', title: 'Too Many Requests', detail: `This address has sent the contact form ${settings.perIpPerHour} times in the last hour; try again later.` });
      }
      if (input.website) {
        await this.forms.recordSubmission(tx, { ipHash, outcome: 'spam', ticketId: null });
        return { received: true as const, ticketNumber: null };
      }
      const { contact } = await this.commands.execute(new FindOrCreateContactCommand(context, { email: input.email }, input.name));
      const subject = (input.subject?.trim() || input.message.trim().split('\n')[0]!).slice(0, 250);
      const ticket = await this.commands.execute(new CreateTicketCommand(context, { subject, channel: 'web', requesterId: contact.id }));
      const message = await this.commands.execute(new AddMessageCommand(context, ticket.id, { body: messageBody(input, extras), visibility: 'public', author: 'requester', contactId: contact.id }));
      await this.forms.recordSubmission(tx, { ipHash, outcome: 'ticket', ticketId: ticket.id });
      const mail = await this.forms.emailChannel(tx);
      if (mail) {
        const email = input.email.trim().toLowerCase();
        await this.channels.insertConversation(tx, { ticketId: ticket.id, channelId: mail.id, token: newToken(), contactAddress: email, subject, threadIndex: null });
        const chain = localeChain(input.locale, tenant.locale);
        const own = await this.templates.firstOf(tx, 'contact_form.confirmation', chain);
        const template = own ?? shippedTemplate('contact_form.confirmation', chain)!;
        const data = { ticket_number: String(ticket.number), name: input.name.trim(), subject, tenant_name: tenant.name };
        queued = await this.channels.insertDelivery(tx, {
          channelId: mail.id,
          ticketId: ticket.id,
          ticketMessageId: message.id,
          recipient: email,
          template: { name: 'contact_form.confirmation', language: template.locale, parameters: [], subject: render(template.subject ?? '', data).slice(0, 500), text: render(template.body, data) },
        });
        if (queued) await tx.emit(ChannelDeliveryUpdated.of(ticket.id, { deliveryId: queued.id, messageId: message.id, channelId: mail.id, status: 'queued', attempts: 0, error: null }));
      }
      return { received: true as const, ticketNumber: ticket.number };
    });
    if (queued) {
      const id = queued.id;
      await this.queues
        .schedule(DeliverMessage, { tenantId: tenant.id, deliveryId: id }, { key: id, runAt: new Date() })
        .catch((error: unknown) => this.logger.warn({ deliveryId: id, error: String(error) }, 'Confirmation not queued; the sweep will'));
    }
    return receipt;
  }
}
