import { consoleEvent, defineEvent, defineJob, defineSchedule } from '@switchboard/platform';
import type { TicketView } from '../repositories/tickets.sql';

/**
 * What the triggers and automations part of the tickets context registers with the platform
 * (spread into `ticketsContext` in tickets.context.ts).
 */

/** A trigger or an automation was created, changed, reordered or deleted. */
export const RuleChanged = defineEvent<{ kind: 'trigger' | 'automation'; op: 'created' | 'updated' | 'deleted' | 'reordered'; name: string; version: number }>()('tickets.rule_changed', {
  aggregate: 'ticket_rule',
});

/**
 * A rule's `notify_webhook` action: public as `trigger.webhook`, so the tenant's webhook endpoints
 * subscribed to it receive it (signed, retried) through the outbound webhooks (ADR 0043).
 */
export const TriggerWebhook = defineEvent<{
  topic: string;
  note: string | null;
  rule: { kind: 'trigger' | 'automation'; id: string; name: string; version: number };
  ticket: TicketView;
}>()('tickets.trigger_webhook', { aggregate: 'ticket' });

/** Evaluates every (on the `tickets` queue, named by string: tickets.context.ts imports this file) tenant's active automations, a bounded batch per run (resumable by each automation's cursor). */
export const RunAutomations = defineJob<{ limit?: number }>()('tickets', 'tickets.run-automations');
export const AutomationsSchedule = defineSchedule({
  id: 'tickets.automations',
  job: RunAutomations,
  every: 300_000,
  payload: {},
  description: 'Time-based automations evaluated over open tickets in bounded batches (each acts once per ticket and state)',
});

export const RULE_EVENTS = [RuleChanged, TriggerWebhook];
export const RULE_JOBS = [RunAutomations];
export const RULE_SCHEDULES = [AutomationsSchedule];
export const RULE_CONSOLE_EVENTS = [
  consoleEvent(RuleChanged, 'rule.changed', ({ aggregateId, payload }) => ({ ...payload, ruleId: aggregateId })),
  consoleEvent(TriggerWebhook, 'trigger.webhook', ({ aggregateId, payload }) => ({ ...payload, ticketId: aggregateId })),
];
