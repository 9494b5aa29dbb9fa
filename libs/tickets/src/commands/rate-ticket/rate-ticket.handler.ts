import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { CSAT_CHANGE_WINDOW_DAYS, ratingColumns, surveyNotFound } from '../../domain/csat';
import { CsatSigner } from '../../domain/csat-signer';
import { assertStillOpen, surveyOf } from '../../domain/csat-survey';
import { CsatRepository } from '../../repositories/csat.repository';
import { TicketsRepository } from '../../repositories/tickets.repository';
import { CsatRated } from '../../tickets.context';
import type { CsatSurvey } from '../../queries/get-csat-survey/get-csat-survey.query';
import { RateTicketCommand } from './rate-ticket.command';

/**
 * The requester rates the ticket through its signed survey link: once, then changeable for
 * CSAT_CHANGE_WINDOW_DAYS. The ticket's requester, assignee and group at this moment are kept
 * with the rating. History, audit and `CsatRated` in the same transaction.
 */
@CommandHandler(RateTicketCommand)
export class RateTicketHandler implements ICommandHandler<RateTicketCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly signer: CsatSigner,
    private readonly tickets: TicketsRepository,
    private readonly csat: CsatRepository,
  ) {}

  async execute({ token, rating, comment, visitor }: RateTicketCommand): Promise<CsatSurvey> {
    const payload = await this.signer.verify(token);
    if (!payload) throw surveyNotFound();
    const context = { tenantId: payload.t, actorId: null, actorType: 'system' as const, correlationId: visitor.requestId, ip: visitor.ip, userAgent: visitor.userAgent };
    return this.tx.run(context, async (tx) => {
      const ticket = await this.tickets.find(tx, payload.k);
      const before = ticket ? await this.csat.find(tx, payload.k, true) : undefined;
      if (!ticket || !before) throw surveyNotFound();
      assertStillOpen(before);
      const columns = ratingColumns(before.scale, rating);
      const after = await this.csat.rate(tx, ticket.id, {
        ...columns,
        comment,
        changeWindowDays: CSAT_CHANGE_WINDOW_DAYS,
        requesterId: ticket.requesterId,
        assigneeId: ticket.assigneeId,
        groupId: ticket.groupId,
      });
      const changed = before.ratedAt !== null;
      // History and audit say whether there is a comment, not what it says (the rating and the event carry it; an erasure removes it there).
      const summary = (v: typeof after) => ({ rating: v.rating, scale: v.scale, hasComment: v.comment !== null });
      await this.tickets.recordHistory(tx, ticket.id, 'ticket.csat_rated', { csat: { from: changed ? summary(before) : null, to: summary(after) } });
      await tx.audit({
        action: changed ? 'ticket.csat_changed' : 'ticket.csat_rated',
        entityType: 'ticket',
        entityId: ticket.id,
        before: changed ? summary(before) : undefined,
        after: summary(after),
      });
      await tx.emit(CsatRated.of(ticket.id, { rating: after.rating!, scale: after.scale, comment: after.comment, changed, assigneeId: after.assigneeId, groupId: after.groupId }));
      return surveyOf(ticket, after);
    });
  }
}
