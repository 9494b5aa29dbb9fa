import { QueryBus } from '@nestjs/cqrs';
import { GetContactQuery } from '@switchboard/customers';
import { EventConsumer, OnEventSelfAcknowledged, type EnvelopeOf, type SelfAcknowledgingEventHandler } from '@switchboard/platform';
import { GetTenantQuery } from '@switchboard/tenancy';
import { isTimeZone, planVisitMessages, serviceReminderAt } from '../domain/messages';
import { JobClosedOut, RemindersQueue, VisitCancelled, VisitRescheduled, VisitScheduled } from '../field-service.context';
import { MessageDispatcher } from '../messages/message-dispatcher';
import { JobsRepository } from '../repositories/jobs.repository';
import { MessagesRepository } from '../repositories/messages.repository';
import type { MessageView } from '../repositories/messages.sql';

type PlanningEvent = typeof VisitScheduled | typeof VisitRescheduled | typeof VisitCancelled | typeof JobClosedOut;

/**
 * Plans the customer's messages from committed field-service changes: a booked visit gets its
 * confirmation now and its reminder before it; a moved visit's pending messages are cancelled and
 * replaced; a cancelled visit's pending messages are cancelled, and a customer who had been told
 * of the visit gets a cancellation notice (with a CANCEL invite); a close-out that chose "reach out in N months" gets a service reminder on that day at
 * the tenant's hour in the customer's zone. The rows and the receipt commit together; those due
 * within the minute are queued after the commit, the rest by the sweep.
 */
@OnEventSelfAcknowledged([VisitScheduled, VisitRescheduled, VisitCancelled, JobClosedOut], { queue: RemindersQueue, job: 'field_service.plan-messages' })
export class PlanMessagesJob implements SelfAcknowledgingEventHandler<PlanningEvent> {
  constructor(
    private readonly consumer: EventConsumer,
    private readonly queries: QueryBus,
    private readonly jobs: JobsRepository,
    private readonly messages: MessagesRepository,
    private readonly dispatcher: MessageDispatcher,
  ) {}

  async handle(event: EnvelopeOf<PlanningEvent>, consumer: string): Promise<void> {
    // A service reminder's instant is in the customer's zone (else the tenant's): read before the transaction.
    const zone = isReachOut(event) ? await this.customerZone(event.tenantId, event.payload.contactId) : null;
    let created: MessageView[] = [];
    await this.consumer.once(consumer, event, async (tx) => {
      created = [];
      const job = await this.jobs.find(tx, event.aggregateId);
      if (!job) return;
      const settings = await this.messages.settings(tx);
      const now = new Date();
      const subject = { jobId: job.id, contactId: job.contactId, followUpId: null, sourceEventId: event.id };
      if (event.type === VisitScheduled.type) {
        const p = (event as EnvelopeOf<typeof VisitScheduled>).payload;
        const visit = { start: new Date(p.scheduledStart), end: new Date(p.scheduledEnd) };
        created = await this.messages.insert(tx, { ...subject, visitId: p.visitId }, planVisitMessages('booked', visit, now, settings));
      } else if (event.type === VisitRescheduled.type) {
        const p = (event as EnvelopeOf<typeof VisitRescheduled>).payload;
        await this.messages.cancelPendingOfVisit(tx, p.visitId, 'The visit was rescheduled; a newer message replaces this one.');
        const visit = { start: new Date(p.to.scheduledStart), end: new Date(p.to.scheduledEnd) };
        created = await this.messages.insert(tx, { ...subject, visitId: p.visitId }, planVisitMessages('moved', visit, now, settings));
      } else if (event.type === VisitCancelled.type) {
        const p = (event as EnvelopeOf<typeof VisitCancelled>).payload;
        await this.messages.cancelPendingOfVisit(tx, p.visitId, 'The visit was cancelled.');
        const start = new Date(p.scheduledStart);
        if (settings.visitConfirmations && start.getTime() > now.getTime() && (await this.messages.notified(tx, p.visitId))) {
          created = await this.messages.insert(tx, { ...subject, visitId: p.visitId }, [{ kind: 'visit_cancelled', sendAt: now, visitStart: start, visitEnd: new Date(p.scheduledEnd) }]);
        }
      } else if (isReachOut(event)) {
        const next = event.payload.nextAction;
        const sendAt = serviceReminderAt(next.dueOn, zone!, settings);
        created = await this.messages.insert(tx, { ...subject, contactId: event.payload.contactId, visitId: null, followUpId: next.followUpId }, [
          { kind: 'service_reminder', sendAt, visitStart: null, visitEnd: null },
        ]);
      }
    });
    await this.dispatcher.queue(created.map((m) => ({ tenantId: event.tenantId, id: m.id, sendAt: new Date(m.sendAt) })));
  }

  private async customerZone(tenantId: string, contactId: string): Promise<string> {
    const contact = await this.queries.execute(new GetContactQuery(tenantId, contactId)).catch(() => null);
    if (contact?.timezone && isTimeZone(contact.timezone)) return contact.timezone;
    return (await this.queries.execute(new GetTenantQuery(tenantId))).timezone;
  }
}

type ReachOut = EnvelopeOf<typeof JobClosedOut> & { payload: { nextAction: { kind: 'reach_out'; dueOn: string; followUpId: string } } };

function isReachOut(event: EnvelopeOf<PlanningEvent>): event is ReachOut {
  return event.type === JobClosedOut.type && (event as EnvelopeOf<typeof JobClosedOut>).payload.nextAction.kind === 'reach_out';
}
