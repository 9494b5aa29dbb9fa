import { ContactsMerged } from '@switchboard/customers';
import { OnEvent, type DurableEventHandler, type EnvelopeOf, type TenantTx } from '@switchboard/platform';
import { MessagesRepository } from '../repositories/messages.repository';
import { TicketsRepository } from '../repositories/tickets.repository';
import { TicketsQueue, TicketUpdated } from '../tickets.context';

/**
 * When customers merges two contacts, the source's tickets and messages move to the target.
 * Once per event (the receipt commits with the change), so a redelivery moves nothing twice.
 */
@OnEvent(ContactsMerged, { queue: TicketsQueue, job: 'tickets.follow-contact-merge' })
export class FollowContactMergeJob implements DurableEventHandler<typeof ContactsMerged> {
  constructor(
    private readonly tickets: TicketsRepository,
    private readonly messages: MessagesRepository,
  ) {}

  async handle(event: EnvelopeOf<typeof ContactsMerged>, tx: TenantTx): Promise<void> {
    const { targetId, sourceId } = event.payload;
    const moved = await this.tickets.reassignRequester(tx, sourceId, targetId);
    await this.messages.reassignContactAuthor(tx, sourceId, targetId);
    for (const { id, version } of moved) {
      const delta = { requesterId: { from: sourceId, to: targetId } };
      await this.tickets.recordHistory(tx, id, 'ticket.requester_merged', delta);
      // Consoles showing the ticket learn its new requester (pushed after commit, replayable from the outbox).
      await tx.emit(TicketUpdated.of(id, { delta, version }));
    }
  }
}
