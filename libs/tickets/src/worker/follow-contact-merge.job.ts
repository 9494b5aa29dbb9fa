import { ContactsMerged } from '@switchboard/customers';
import { OnEvent, type DurableEventHandler, type EnvelopeOf, type TenantTx } from '@switchboard/platform';
import { recordHistory } from '../repositories/tickets.sql';
import { TicketsQueue, TicketUpdated } from '../tickets.context';

/**
 * When customers merges two contacts, the source's tickets and messages move to the target.
 * Once per event (the receipt commits with the change), so a redelivery moves nothing twice.
 */
@OnEvent(ContactsMerged, { queue: TicketsQueue, job: 'tickets.follow-contact-merge' })
export class FollowContactMergeJob implements DurableEventHandler<typeof ContactsMerged> {
  async handle(event: EnvelopeOf<typeof ContactsMerged>, tx: TenantTx): Promise<void> {
    const { targetId, sourceId } = event.payload;
    const moved: { id: string; version: number }[] = await tx.manager.query(
      `WITH u AS (UPDATE tickets SET requester_id = $2, updated_at = now(), version = version + 1
                   WHERE tenant_id = $1 AND requester_id = $3 RETURNING id, version) SELECT id, version FROM u`,
      [event.tenantId, targetId, sourceId],
    );
    await tx.manager.query(
      `UPDATE ticket_messages SET author_id = $2 WHERE tenant_id = $1 AND author_type = 'contact' AND author_id = $3`,
      [event.tenantId, targetId, sourceId],
    );
    for (const { id, version } of moved) {
      const delta = { requesterId: { from: sourceId, to: targetId } };
      await recordHistory(tx, id, 'ticket.requester_merged', delta);
      // Consoles showing the ticket learn its new requester (pushed after commit, replayable from the outbox).
      await tx.emit(TicketUpdated.of(id, { delta, version }));
    }
  }
}
