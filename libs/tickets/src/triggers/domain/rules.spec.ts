import { aTicket, GROUP_ID } from '../../testing/fake-repositories';
import { planMacro } from '../../domain/macros';
import { prepareCalendar } from '../../sla/domain/business-calendar';
import { conditionsHold, localizedBody, macroActionsOf, mayFire, noChange, plannedActionsOf, readActions, readConditions, type RuleChange, type RuleContext } from './rules';
import { mergeChange, runTriggerPasses, type TriggerRule } from './trigger-passes';
import type { TicketView } from '../../repositories/tickets.sql';

const ctx = (over: Partial<RuleContext> = {}): RuleContext => ({ now: Date.parse('2026-12-07T10:30:00Z'), calendar: null, organizationId: null, ...over });
const change = (over: Partial<RuleChange> = {}): RuleChange => ({ ...noChange(), ...over });
const holds = (conditions: unknown, ticket: TicketView, c: RuleChange, context = ctx(), kind: 'trigger' | 'automation' = 'trigger') => conditionsHold(readConditions(conditions, kind), ticket, c, context);

describe('trigger conditions', () => {
  const ticket = aTicket({ status: 'open', priority: 'urgent', groupId: GROUP_ID, tags: ['vip', 'billing'], fields: { plan: 'gold' } });

  it('read current fields, tags and custom fields, and what the update changed', () => {
    const priorityToUrgent = change({ delta: { priority: { from: 'normal', to: 'urgent' } } });
    expect(holds({ all: [{ type: 'changed', field: 'priority', to: 'urgent' }] }, ticket, priorityToUrgent)).toBe(true);
    expect(holds({ all: [{ type: 'changed', field: 'priority', from: 'high', to: 'urgent' }] }, ticket, priorityToUrgent)).toBe(false);
    expect(holds({ all: [{ type: 'changed', field: 'status' }] }, ticket, priorityToUrgent)).toBe(false);
    const both = { all: [{ type: 'changed', field: 'priority' }, { type: 'field', field: 'group', op: 'is', value: GROUP_ID }, { type: 'tags', op: 'include_all', tags: ['vip'] }, { type: 'custom_field', key: 'plan', op: 'is', value: 'gold' }] };
    expect(holds(both, ticket, priorityToUrgent)).toBe(true);
    expect(holds({ ...both, any: [{ type: 'field', field: 'channel', op: 'is', value: 'email' }] }, ticket, priorityToUrgent)).toBe(false);
    expect(holds({ all: [{ type: 'changed', field: 'status', from: 'pending', to: 'open' }] }, ticket, change({ delta: { status: { from: 'pending', to: 'open' } } }))).toBe(true);
    expect(holds({ all: [{ type: 'tag_added', tag: 'vip' }] }, ticket, change({ delta: { tags: { from: ['billing'], to: ['billing', 'vip'] } } }))).toBe(true);
    expect(holds({ all: [{ type: 'tag_removed', tag: 'vip' }] }, ticket, change({ delta: { tags: { from: ['billing'], to: ['billing', 'vip'] } } }))).toBe(false);
    expect(holds({ all: [{ type: 'created' }] }, ticket, change({ created: true }))).toBe(true);
  });

  it('tell from the change alone whether a rule may fire, before the ticket is read', () => {
    const conditions = readConditions({ all: [{ type: 'changed', field: 'priority', to: 'urgent' }, { type: 'field', field: 'status', op: 'is', value: 'open' }] }, 'trigger');
    expect(mayFire(conditions, change({ delta: { priority: { from: 'low', to: 'urgent' } } }))).toBe(true);
    expect(mayFire(conditions, change({ delta: { priority: { from: 'low', to: 'high' } } }))).toBe(false);
    expect(mayFire(readConditions({ any: [{ type: 'created' }, { type: 'changed', field: 'status' }] }, 'trigger'), change({ delta: { tags: { from: [], to: ['x'] } } }))).toBe(true);
  });

  it('tell a public reply by the requester from one by an agent', () => {
    const requesterReply = change({ messages: [{ authorType: 'contact', visibility: 'public' }] });
    expect(holds({ all: [{ type: 'message_added', by: 'requester', visibility: 'public' }] }, ticket, requesterReply)).toBe(true);
    expect(holds({ all: [{ type: 'message_added', by: 'agent' }] }, ticket, requesterReply)).toBe(false);
    expect(holds({ all: [{ type: 'message_added', visibility: 'internal' }] }, ticket, requesterReply)).toBe(false);
  });

  it('read the time of day and business hours in the group’s calendar zone', () => {
    const berlin = prepareCalendar({ timeZone: 'Europe/Berlin', week: { mon: [{ start: '09:00', end: '17:00' }] }, holidays: [] });
    // Monday 2026-12-07 10:30 UTC is 11:30 in Berlin.
    const onUpdate = { type: 'created' };
    expect(holds({ all: [onUpdate, { type: 'business_hours', within: true }] }, ticket, change({ created: true }), ctx({ calendar: berlin }))).toBe(true);
    expect(holds({ all: [onUpdate, { type: 'business_hours', within: true }] }, ticket, change({ created: true }), ctx({ calendar: berlin, now: Date.parse('2026-12-07T17:30:00Z') }))).toBe(false);
    expect(holds({ all: [onUpdate, { type: 'business_hours', within: false }] }, ticket, change({ created: true }), ctx())).toBe(true);
    expect(holds({ all: [onUpdate, { type: 'time_of_day', from: '11:00', to: '12:00', days: ['mon'] }] }, ticket, change({ created: true }), ctx({ calendar: berlin }))).toBe(true);
    expect(holds({ all: [onUpdate, { type: 'time_of_day', from: '11:00', to: '12:00' }] }, ticket, change({ created: true }), ctx())).toBe(false);
    expect(holds({ all: [onUpdate, { type: 'time_of_day', from: '22:00', to: '11:00' }] }, ticket, change({ created: true }), ctx())).toBe(true);
  });

  it('count hours since the ticket entered its status (automations)', () => {
    const solved = aTicket({ status: 'solved', updatedAt: '2026-12-01T00:00:00.000Z' });
    const rule = { all: [{ type: 'field', field: 'status', op: 'is', value: 'solved' }, { type: 'hours_since', since: 'status_changed', hours: 96 }] };
    expect(holds(rule, solved, noChange(), ctx({ statusSince: Date.parse('2026-12-03T10:30:00Z') }), 'automation')).toBe(true);
    expect(holds(rule, solved, noChange(), ctx({ statusSince: Date.parse('2026-12-03T10:31:00Z') }), 'automation')).toBe(false);
  });

  it('refuse hostile or meaningless rules with a 422 naming the field', () => {
    const problem = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return (error as { problem: { status: number; errors: { field: string }[] } }).problem;
      }
      throw new Error('expected a problem');
    };
    expect(problem(() => readConditions({ all: [{ type: 'field', field: 'status', op: 'is', value: 'bogus' }, { type: 'created' }] }, 'trigger'))).toMatchObject({ status: 422, errors: [{ field: 'conditions.all[0].value' }] });
    expect(problem(() => readConditions({ all: [{ type: 'field', field: 'status', op: 'is', value: 'open' }] }, 'trigger')).errors[0]!.field).toBe('conditions');
    expect(problem(() => readConditions({ all: [{ type: 'created' }] }, 'automation')).errors[0]!.field).toBe('conditions.all[0].type');
    expect(problem(() => readConditions({ all: [{ type: 'created', __proto__: 1, extra: true }] }, 'trigger')).errors[0]!.field).toBe('conditions.all[0].extra');
    expect(problem(() => readConditions('nope', 'trigger')).status).toBe(422);
    expect(problem(() => readActions([{ type: 'add_tags', tags: ['ok'] }, { type: 'set_priority', value: 'asap' }])).errors[0]!.field).toBe('actions[1].value');
    expect(problem(() => readActions([{ type: 'notify_webhook', topic: 'Bad Topic!' }])).errors[0]!.field).toBe('actions[0].topic');
    expect(readActions([{ type: 'notify_webhook', topic: 'escalations' }, { type: 'add_tags', tags: ['X'] }])).toEqual([{ type: 'notify_webhook', topic: 'escalations' }, { type: 'add_tags', tags: ['x'] }]);
  });
});

describe('replies in the requester’s language', () => {
  const [reply] = readActions([{ type: 'add_localized_reply', visibility: 'public', bodies: { en: 'Hello {{ticket.requester.name}}', pt: 'Olá {{ticket.requester.name}}', 'de_DE': 'Hallo' }, fallback: 'en' }]);

  it('picks the requester’s locale, then its language, then the fallback', () => {
    if (reply?.type !== 'add_localized_reply') throw new Error('expected a localized reply');
    expect(Object.keys(reply.bodies).sort()).toEqual(['de-DE', 'en', 'pt']);
    expect(localizedBody(reply, 'pt-BR')).toBe('Olá {{ticket.requester.name}}');
    expect(localizedBody(reply, 'de-DE')).toBe('Hallo');
    expect(localizedBody(reply, 'fr')).toBe('Hello {{ticket.requester.name}}');
    expect(localizedBody(reply, null)).toBe('Hello {{ticket.requester.name}}');
    expect(plannedActionsOf([reply, { type: 'notify_webhook', topic: 'x' }], 'pt')).toEqual([{ type: 'add_reply', visibility: 'public', body: 'Olá {{ticket.requester.name}}' }]);
  });

  it('refuses unknown placeholders, bad locales and a fallback without a body, naming the field', () => {
    const fields = (raw: unknown) => {
      try {
        readActions([raw]);
      } catch (error) {
        return (error as { problem: { errors: { field: string }[] } }).problem.errors.map((e) => e.field);
      }
      return [];
    };
    expect(fields({ type: 'add_localized_reply', visibility: 'public', bodies: { en: 'Hi {{ticket.secret}}' } })).toEqual(['actions[0].bodies.en']);
    expect(fields({ type: 'add_localized_reply', visibility: 'public', bodies: { 'not a locale!': 'Hi' }, fallback: 'en' })).toEqual(expect.arrayContaining(['actions[0].bodies.not a locale!', 'actions[0].fallback']));
    expect(fields({ type: 'add_localized_reply', visibility: 'public', bodies: { en: 'Hi' }, fallback: 'de' })).toEqual(['actions[0].fallback']);
  });
});

describe('trigger passes (loop protection)', () => {
  const rule = (id: string, conditions: unknown, actions: unknown): TriggerRule => ({ id, name: id, version: 1, conditions: readConditions(conditions, 'trigger'), actions: readActions(actions) });
  /** Applies the actions in memory, the way the engine applies them through the update path. */
  const fire = async (r: TriggerRule, t: TicketView, pass: number) => {
    const plan = planMacro(t, macroActionsOf(r.actions), { values: {} as never, templates: new Map() });
    const delta = Object.fromEntries(Object.entries(plan.changes).map(([k, v]) => [k, { from: t[k as keyof TicketView], to: v }]));
    const c = change({ delta });
    return { ticket: plan.ticket, change: c, firing: { triggerId: r.id, name: r.name, version: r.version, pass, delta, messages: [], webhooks: [], error: null } };
  };
  const context = async () => ctx();
  const userChange = change({ delta: { priority: { from: 'normal', to: 'urgent' } } });

  it('fires in order, each rule seeing what earlier ones did, and chains into later passes', async () => {
    const rules = [
      rule('tag-urgent', { all: [{ type: 'changed', field: 'priority', to: 'urgent' }] }, [{ type: 'add_tags', tags: ['escalated'] }]),
      rule('needs-tag', { all: [{ type: 'changed', field: 'priority' }, { type: 'tags', op: 'include_any', tags: ['escalated'] }] }, [{ type: 'set_type', value: 'incident' }]),
      rule('on-tag', { all: [{ type: 'tag_added', tag: 'escalated' }] }, [{ type: 'set_status', value: 'open' }]),
    ];
    const out = await runTriggerPasses(rules, aTicket({ status: 'new', priority: 'urgent' }), userChange, context, fire);
    expect(out.firings.map((f) => `${f.pass}:${f.triggerId}`)).toEqual(['1:tag-urgent', '1:needs-tag', '2:on-tag']);
    expect(out.ticket).toMatchObject({ tags: ['escalated'], type: 'incident', status: 'open' });
    expect(out.capped).toBeNull();
  });

  it('never re-fires a rule on its own change (a rule that undoes another fires once each)', async () => {
    const rules = [
      rule('add', { any: [{ type: 'changed', field: 'priority' }, { type: 'tag_removed', tag: 'ping' }] }, [{ type: 'add_tags', tags: ['ping'] }]),
      rule('remove', { all: [{ type: 'tag_added', tag: 'ping' }] }, [{ type: 'remove_tags', tags: ['ping'] }]),
    ];
    const out = await runTriggerPasses(rules, aTicket({ tags: [] }), userChange, context, fire);
    expect(out.firings.map((f) => f.triggerId)).toEqual(['add', 'remove']);
    expect(out.capped).toBeNull();
  });

  it('stops a chain at the pass cap and says which rules were still due', async () => {
    const chain = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((tag, i, all) =>
      rule(`r${i}`, i === 0 ? { all: [{ type: 'changed', field: 'priority' }] } : { all: [{ type: 'tag_added', tag: all[i - 1]! }] }, [{ type: 'add_tags', tags: [tag] }]),
    );
    const out = await runTriggerPasses(chain, aTicket({ tags: [] }), userChange, context, fire, 5);
    expect(out.firings.map((f) => f.pass)).toEqual([1, 2, 3, 4, 5]);
    expect(out.capped).toEqual({ passes: 5, pending: ['r5'] });
    expect(out.ticket.tags).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('merges changes: a value changed back is no change', () => {
    const merged = mergeChange(change({ delta: { priority: { from: 'low', to: 'high' } } }), change({ delta: { priority: { from: 'high', to: 'low' }, status: { from: 'new', to: 'open' } } }));
    expect(merged.delta).toEqual({ status: { from: 'new', to: 'open' } });
  });
});
