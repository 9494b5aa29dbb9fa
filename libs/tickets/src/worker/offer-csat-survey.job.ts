import { Inject, Logger, type OnModuleInit } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { GetContactQuery } from '@switchboard/customers';
import { MAILER, OnEvent, ProblemException, type DurableEventHandler, type EnvelopeOf, type Mailer, type TenantTx } from '@switchboard/platform';
import { CSAT_CHANGE_WINDOW_DAYS, CSAT_VALIDITY_DAYS, DEFAULT_CSAT_SCALE } from '../domain/csat';
import { CsatSigner } from '../domain/csat-signer';
import { CsatRepository } from '../repositories/csat.repository';
import { TicketsRepository } from '../repositories/tickets.repository';
import { CsatSurveyOffered, TicketsQueue, TicketStatusChanged } from '../tickets.context';

/**
 * When a ticket is first solved, its requester gets a satisfaction survey: the survey row (once
 * per ticket; solving it again after a reopen offers nothing new) and a mail with the signed link.
 * The mail is sent inside the transaction that writes the receipt, so a failed send is retried
 * with the event; a requester without an email address gets the survey row only. A survey sent is
 * published (`CsatSurveyOffered`) for the CSAT response rate.
 */
@OnEvent(TicketStatusChanged, { queue: TicketsQueue, job: 'tickets.offer-csat-survey' })
export class OfferCsatSurveyJob implements DurableEventHandler<typeof TicketStatusChanged>, OnModuleInit {
  private readonly logger = new Logger('OfferCsatSurvey');

  constructor(
    private readonly tickets: TicketsRepository,
    private readonly csat: CsatRepository,
    private readonly signer: CsatSigner,
    private readonly queries: QueryBus,
    @Inject(MAILER) private readonly mailer: Mailer,
  ) {}

  /** The key is read on a pool connection before any transaction needs it (the embedded database has one session). */
  onModuleInit(): void {
    this.signer.ready().catch((error: unknown) => this.logger.warn(`CSAT signing key not loaded yet: ${String(error)}`));
  }

  async handle(event: EnvelopeOf<typeof TicketStatusChanged>, tx: TenantTx): Promise<void> {
    if (event.payload.to !== 'solved') return;
    const ticket = await this.tickets.find(tx, event.aggregateId);
    if (!ticket) return; // deleted since
    const survey = await this.csat.offer(tx, ticket.id, DEFAULT_CSAT_SCALE, CSAT_VALIDITY_DAYS);
    if (!survey) return; // offered when it was first solved
    await this.tickets.recordHistory(tx, ticket.id, 'ticket.csat_offered', { csat: { to: { scale: survey.scale, expiresAt: survey.expiresAt } } });
    const email = await this.requesterEmail(tx.tenantId, ticket.requesterId);
    if (!email) return;
    const token = await this.signer.sign({ t: tx.tenantId, k: ticket.id, e: Math.floor(new Date(survey.expiresAt).getTime() / 1000) });
    const scaleText = survey.scale === 'binary' ? 'good or bad' : 'from 1 (poor) to 5 (excellent)';
    await this.mailer.send({
      to: email,
      subject: `How did we do? [#${ticket.number}] ${ticket.subject}`,
      text:
        `Your request #${ticket.number} "${ticket.subject}" has been solved.\n\n` +
        `Please rate our help (${scaleText}), with a comment if you like:\n${this.signer.link(token)}\n\n` +
        `The link works for ${CSAT_VALIDITY_DAYS} days; after rating you can change your answer for ${CSAT_CHANGE_WINDOW_DAYS} days.`,
    });
    // In the receipt's transaction, after the send: a failed send rolls it back with the event.
    await tx.emit(CsatSurveyOffered.of(ticket.id, { scale: survey.scale, expiresAt: survey.expiresAt, assigneeId: ticket.assigneeId, groupId: ticket.groupId }));
  }

  private async requesterEmail(tenantId: string, contactId: string): Promise<string | null> {
    try {
      const contact = await this.queries.execute(new GetContactQuery(tenantId, contactId));
      return contact.emails[0] ?? null;
    } catch (error) {
      if (error instanceof ProblemException && error.problem.status === 404) return null;
      throw error;
    }
  }
}
