import { Injectable } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { GetContactQuery } from '@switchboard/customers';
import { ProblemException, TenantTx, type EventEnvelope } from '@switchboard/platform';
import { randomUUID } from 'node:crypto';
import { ChannelsRepository } from '../channels/repositories/channels.repository';
import { appendMessage } from '../commands/add-message/add-message.handler';
import { applyTicketChanges } from '../commands/update-ticket/update-ticket.handler';
import { planMacro } from '../domain/macros';
import { placeholderValues } from '../domain/macro-template';
import { GroupsRepository } from '../repositories/groups.repository';
import type { MessageView } from '../repositories/messages.sql';
import { MessagesRepository } from '../repositories/messages.repository';
import { TicketsRepository } from '../repositories/tickets.repository';
import type { TicketView } from '../repositories/tickets.sql';
import { prepareCalendar, type PreparedCalendar } from '../sla/domain/business-calendar';
import { CalendarsRepository } from '../sla/repositories/calendars.repository';
import { MessageAdded, TicketCreated, TicketUpdated, type FieldDelta } from '../tickets.context';
import { mayFire, needs, noChange, plannedActionsOf, type RuleAction, type RuleChange, type RuleConditions, type RuleContext } from './domain/rules';
import { mergeChange, runTriggerPasses, type PassesResult, type TriggerFiring, type TriggerRule } from './domain/trigger-passes';
import { RulesRepository } from './repositories/rules.repository';
import { TriggerWebhook } from './triggers.registration';

/** Who a rule's templated reply is signed by (`{{agent.name}}`). */
const SYSTEM_AGENT = { name: 'Support', email: '' };

export interface RuleSource {
  kind: 'trigger' | 'automation';
  id: string;
  name: string;
  version: number;
}

/** What a command's events say changed on each ticket (created, fields, messages). */
export function changesFromEvents(events: readonly EventEnvelope[]): Map<string, RuleChange> {
  const out = new Map<string, RuleChange>();
  for (const e of events) {
    if (e.aggregateType !== 'ticket') continue;
    const add: RuleChange = noChange();
    if (e.type === TicketCreated.type) add.created = true;
    else if (e.type === TicketUpdated.type) add.delta = (e.payload as { delta: FieldDelta }).delta;
    else if (e.type === MessageAdded.type) {
      const m = (e.payload as { message: MessageView }).message;
      add.messages = [{ authorType: m.authorType as 'agent', visibility: m.visibility }];
    } else continue;
    out.set(e.aggregateId, mergeChange(out.get(e.aggregateId) ?? noChange(), add));
  }
  return out;
}

/**
 * Runs triggers in the command's own transaction (ADR 0046) and carries out rule actions (for
 * automations too): the actions are the macros' plan (`planMacro`), applied through the ticket's
 * update and message paths as the system actor, each firing inside a savepoint so that a rule
 * whose reference is gone is recorded as failed without failing the agent's command.
 */
@Injectable()
export class TriggerEngine {
  constructor(
    private readonly queries: QueryBus,
    private readonly tickets: TicketsRepository,
    private readonly messages: MessagesRepository,
    private readonly groups: GroupsRepository,
    private readonly channels: ChannelsRepository,
    private readonly calendars: CalendarsRepository,
    private readonly rules: RulesRepository,
  ) {}

  /** After a ticket command: the tenant's active triggers over what the events from `from` on changed. */
  async afterCommand(tx: TenantTx, from: number, rules?: readonly TriggerRule[]): Promise<Map<string, PassesResult>> {
    const results = new Map<string, PassesResult>();
    const changes = changesFromEvents(tx.events.slice(from));
    if (changes.size === 0) return results;
    const active = rules ?? (await this.rules.list(tx, 'ticket_triggers', true));
    if (active.length === 0) return results;
    for (const [ticketId, change] of changes) {
      const result = await this.run(tx, ticketId, change, active);
      if (result) results.set(ticketId, result);
    }
    return results;
  }

  private async run(tx: TenantTx, ticketId: string, change: RuleChange, rules: readonly TriggerRule[]): Promise<PassesResult | undefined> {
    if (!rules.some((r) => mayFire(r.conditions, change))) return undefined;
    const ticket = await this.tickets.find(tx, ticketId);
    if (!ticket) return undefined;
    const result = await runTriggerPasses(rules, ticket, change, this.contextLoader(tx, rules), async (rule, current, pass) => {
      const out = await this.apply(tx, { kind: 'trigger', id: rule.id, name: rule.name, version: rule.version }, rule.actions, current, pass);
      return { ticket: out.ticket, change: out.change, firing: out.firing };
    });
    if (result.capped) {
      const system = this.systemTx(tx);
      await this.tickets.recordHistory(system, ticketId, 'ticket.triggers_capped', { triggers: { to: { passes: result.capped.passes, pending: result.capped.pending } } });
    }
    return result;
  }

  /**
   * What conditions need beyond the ticket, loaded only when a rule reads it and once per group or
   * requester: the group's business calendar and the requester's organization.
   */
  contextLoader(tx: TenantTx, rules: readonly { conditions: RuleConditions }[], statusSince?: number): (t: TicketView) => Promise<RuleContext> {
    const need = needs(rules);
    const now = Date.now();
    const calendars = new Map<string | null, PreparedCalendar | null>();
    const organizations = new Map<string, string | null>();
    return async (t) => {
      if (need.calendar && !calendars.has(t.groupId)) calendars.set(t.groupId, await this.calendarOf(tx, t.groupId));
      if (need.organization && !organizations.has(t.requesterId)) {
        const contact = await this.queries.execute(new GetContactQuery(tx.tenantId, t.requesterId)).catch(() => undefined);
        organizations.set(t.requesterId, contact?.organizationId ?? null);
      }
      return { now, calendar: calendars.get(t.groupId) ?? null, organizationId: organizations.get(t.requesterId) ?? null, statusSince };
    };
  }

  private async calendarOf(tx: TenantTx, groupId: string | null): Promise<PreparedCalendar | null> {
    if (!groupId) return null;
    const group = await this.groups.find(tx, groupId);
    const id = group?.businessCalendarId;
    if (!id) return null;
    const calendar = await this.calendars.find(tx, id, { live: true });
    return calendar ? prepareCalendar(calendar) : null;
  }

  /** The same transaction, acting as the system: history and audit say `system`, the rule is named in them. */
  private systemTx(tx: TenantTx): TenantTx {
    const system = new TenantTx(tx.manager, { ...tx.context, actorId: null, actorType: 'system' });
    // What it emits is published after the outer transaction commits, like the command's own events.
    system.events.push = (...events: EventEnvelope[]) => tx.events.push(...events);
    return system;
  }

  /** Carries out one rule's actions on the ticket (in a savepoint) and records the firing in the ticket's history. */
  async apply(tx: TenantTx, rule: RuleSource, actions: readonly RuleAction[], ticket: TicketView, pass: number): Promise<{ ticket: TicketView; change: RuleChange; firing: TriggerFiring }> {
    const system = this.systemTx(tx);
    const firing: TriggerFiring = { triggerId: rule.id, name: rule.name, version: rule.version, pass, delta: {}, messages: [], webhooks: [], error: null };
    const savepoint = `rule_${randomUUID().replaceAll('-', '')}`;
    const from = tx.events.length;
    await tx.manager.query(`SAVEPOINT ${savepoint}`);
    try {
      // The requester is read only for a reply (placeholders, language).
      const replies = actions.some((a) => a.type === 'add_reply' || a.type === 'add_localized_reply');
      const requester = replies ? await this.queries.execute(new GetContactQuery(tx.tenantId, ticket.requesterId)).catch(() => undefined) : undefined;
      const macroActions = plannedActionsOf(actions, requester?.locale);
      const values = placeholderValues(ticket, requester, SYSTEM_AGENT);
      const plan = planMacro(ticket, macroActions, { values, templates: new Map() });
      const deps = { queries: this.queries, tickets: this.tickets, messages: this.messages, groups: this.groups, channels: this.channels };
      let after: TicketView | undefined = ticket;
      if (Object.keys(plan.changes).length > 0) after = await applyTicketChanges(system, deps, ticket.id, plan.changes, null);
      const messageIds: string[] = [];
      if (plan.messages.length > 0) after = undefined;
      for (const m of plan.messages) {
        messageIds.push((await appendMessage(system, deps, ticket.id, { body: m.body, html: m.html, visibility: m.visibility, author: 'agent' })).id);
        firing.messages.push({ visibility: m.visibility, body: m.body });
      }
      for (const a of actions) {
        if (a.type !== 'notify_webhook') continue;
        after ??= (await this.tickets.find(system, ticket.id))!;
        await system.emit(TriggerWebhook.of(ticket.id, { topic: a.topic, note: a.note ?? null, rule: { kind: rule.kind, id: rule.id, name: rule.name, version: rule.version }, ticket: { ...after } }));
        firing.webhooks.push(a.topic);
      }
      const change = [...changesFromEvents(tx.events.slice(from)).values()][0] ?? noChange();
      firing.delta = change.delta;
      await this.tickets.recordHistory(system, ticket.id, `ticket.${rule.kind}_fired`, {
        [rule.kind]: { to: { id: rule.id, name: rule.name, version: rule.version, ...(rule.kind === 'trigger' ? { pass } : {}), fields: Object.keys(change.delta), messages: messageIds, webhooks: firing.webhooks } },
      });
      // The update's own audit entry says `system`; this one names the rule and version that acted.
      await system.audit({ action: `ticket.${rule.kind}_fired`, entityType: 'ticket', entityId: ticket.id, after: { ruleId: rule.id, ruleName: rule.name, ruleVersion: rule.version, fields: Object.keys(change.delta) } });
      await tx.manager.query(`RELEASE SAVEPOINT ${savepoint}`);
      // The history row does not change the ticket: what the update path answered is current (messages move the status, so it is read again).
      return { ticket: after ?? (await this.tickets.find(tx, ticket.id))!, change, firing };
    } catch (error) {
      if (!(error instanceof ProblemException)) throw error;
      await tx.manager.query(`ROLLBACK TO SAVEPOINT ${savepoint}`);
      tx.events.splice(from);
      firing.error = error.problem.detail;
      await this.tickets.recordHistory(system, ticket.id, `ticket.${rule.kind}_failed`, { [rule.kind]: { to: { id: rule.id, name: rule.name, version: rule.version, error: error.problem.detail } } });
      return { ticket, change: noChange(), firing };
    }
  }
}
