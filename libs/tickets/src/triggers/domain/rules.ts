import { ProblemException } from '@switchboard/platform';
import { readMacroActions, type MacroAction } from '../../domain/macros';
import { MACRO_PLACEHOLDERS, unknownPlaceholders } from '../../domain/macro-template';
import { canonicalLocale, localeChain } from '../../channels/domain/message-templates';
import { CHANNELS, normaliseTags, PRIORITIES, STATUSES, TYPES } from '../../domain/ticket';
import type { TicketView } from '../../repositories/tickets.sql';
import type { FieldDelta } from '../../tickets.context';
import { isOpenAt, WEEKDAYS, type PreparedCalendar, type Weekday } from '../../sla/domain/business-calendar';

/**
 * Triggers and automations: conditions over a ticket (and, for triggers, over what the update
 * changed), and actions. The actions are the macros' (ADR 0038: the same reader, planner and
 * executor) plus `notify_webhook`, which publishes `trigger.webhook` to the tenant's webhook
 * endpoints through the outbox (ADR 0046).
 */

export const TICKET_FIELDS = ['status', 'priority', 'type', 'channel', 'group', 'assignee', 'requester', 'organization'] as const;
export type TicketField = (typeof TICKET_FIELDS)[number];
export const CHANGEABLE_FIELDS = ['status', 'priority', 'type', 'group', 'assignee'] as const;
export type ChangeableField = (typeof CHANGEABLE_FIELDS)[number];

export type RuleCondition =
  | { type: 'field'; field: TicketField; op: 'is' | 'is_not'; value: string | null }
  | { type: 'tags'; op: 'include_any' | 'include_all' | 'exclude'; tags: string[] }
  | { type: 'custom_field'; key: string; op: 'is' | 'is_not' | 'present' | 'absent'; value?: unknown }
  /** Triggers only: the field changed in this pass (from / to, when given, must match). */
  | { type: 'changed'; field: ChangeableField; from?: string | null; to?: string | null }
  /** Triggers only: the tag was added / removed in this pass. */
  | { type: 'tag_added' | 'tag_removed'; tag: string }
  /** Triggers only: the ticket was created by this update. */
  | { type: 'created' }
  /** Triggers only: a message was added by this update. */
  | { type: 'message_added'; by: 'requester' | 'agent' | 'any'; visibility: 'public' | 'internal' | 'any' }
  /** Open / closed now in the ticket group's business calendar (no group or no calendar: never within). */
  | { type: 'business_hours'; within: boolean }
  /** The wall clock now, in the group's calendar's zone (UTC without one), is in [from, to) on one of the days. */
  | { type: 'time_of_day'; from: string; to: string; days?: Weekday[] }
  /** Automations only: hours since the ticket was created / last updated / entered its current status. */
  | { type: 'hours_since'; since: 'created' | 'updated' | 'status_changed'; hours: number };
export type RuleConditionType = RuleCondition['type'];

/** Every condition of `all` holds, and one of `any` when it has some. */
export interface RuleConditions {
  all: RuleCondition[];
  any: RuleCondition[];
}

export type WebhookAction = { type: 'notify_webhook'; topic: string; note?: string };
/** A reply in the requester's language: the body of their locale (pt-BR → pt), else of `fallback`. */
export type LocalizedReplyAction = { type: 'add_localized_reply'; visibility: 'public' | 'internal'; bodies: Record<string, string>; fallback: string };
export type RuleAction = MacroAction | WebhookAction | LocalizedReplyAction;

export type RuleKind = 'trigger' | 'automation';
const CHANGE_CONDITIONS: RuleConditionType[] = ['changed', 'tag_added', 'tag_removed', 'created', 'message_added'];
const AUTOMATION_ONLY: RuleConditionType[] = ['hours_since'];
export const MAX_CONDITIONS = 30;
const HHMM = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;
const FIELD_KEY = /^[a-z][a-z0-9_]{0,49}$/;
const TOPIC = /^[a-z0-9][a-z0-9_.-]{0,63}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface FieldError {
  field: string;
  message: string;
}

const invalid = (what: string, errors: FieldError[]) =>
  new ProblemException({ status: 422, type: 'validation-failed', title: 'Unprocessable Content', detail: `The ${what} are not valid: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}.`, errors });

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const oneOf = <T extends string>(values: readonly T[], v: unknown): v is T => typeof v === 'string' && (values as readonly string[]).includes(v);

const FIELD_VALUES: Partial<Record<TicketField, readonly string[]>> = { status: STATUSES, priority: PRIORITIES, type: TYPES, channel: CHANNELS };
const ID_FIELDS: TicketField[] = ['group', 'assignee', 'requester', 'organization'];

function readValue(field: TicketField | ChangeableField, v: unknown, at: string, errors: FieldError[], nullable: boolean): string | null | undefined {
  if (v === null && nullable && ID_FIELDS.includes(field as TicketField)) return null;
  const allowed = FIELD_VALUES[field as TicketField];
  if (allowed) {
    if (oneOf(allowed, v)) return v;
    errors.push({ field: at, message: `must be one of ${allowed.join(', ')}` });
    return undefined;
  }
  if (typeof v === 'string' && UUID.test(v)) return v.toLowerCase();
  errors.push({ field: at, message: nullable ? 'must be an id or null' : 'must be an id' });
  return undefined;
}

const keysOnly = (raw: Record<string, unknown>, keys: string[], at: string, errors: FieldError[]) => {
  for (const k of Object.keys(raw)) if (k !== 'type' && !keys.includes(k)) errors.push({ field: `${at}.${k}`, message: 'is not a property of this condition' });
};

function readCondition(raw: unknown, at: string, kind: RuleKind, errors: FieldError[]): RuleCondition | undefined {
  if (!isObject(raw)) return void errors.push({ field: at, message: 'must be an object' });
  const n = errors.length;
  const type = raw.type;
  if (kind === 'automation' && CHANGE_CONDITIONS.includes(type as RuleConditionType)) return void errors.push({ field: `${at}.type`, message: `${String(type)} is a trigger condition (automations see no update)` });
  if (kind === 'trigger' && AUTOMATION_ONLY.includes(type as RuleConditionType)) return void errors.push({ field: `${at}.type`, message: `${String(type)} is an automation condition` });
  switch (type) {
    case 'field': {
      keysOnly(raw, ['field', 'op', 'value'], at, errors);
      if (!oneOf(TICKET_FIELDS, raw.field)) return void errors.push({ field: `${at}.field`, message: `must be one of ${TICKET_FIELDS.join(', ')}` });
      if (!oneOf(['is', 'is_not'] as const, raw.op)) errors.push({ field: `${at}.op`, message: 'must be is or is_not' });
      const value = readValue(raw.field, raw.value, `${at}.value`, errors, true);
      return errors.length === n ? { type, field: raw.field, op: raw.op as 'is' | 'is_not', value: value! } : undefined;
    }
    case 'tags': {
      keysOnly(raw, ['op', 'tags'], at, errors);
      if (!oneOf(['include_any', 'include_all', 'exclude'] as const, raw.op)) errors.push({ field: `${at}.op`, message: 'must be include_any, include_all or exclude' });
      const tags = readTags(raw.tags, `${at}.tags`, errors);
      return errors.length === n ? { type, op: raw.op as 'include_any', tags: tags! } : undefined;
    }
    case 'custom_field': {
      keysOnly(raw, ['key', 'op', 'value'], at, errors);
      if (typeof raw.key !== 'string' || !FIELD_KEY.test(raw.key)) errors.push({ field: `${at}.key`, message: 'must be a custom field key' });
      if (!oneOf(['is', 'is_not', 'present', 'absent'] as const, raw.op)) errors.push({ field: `${at}.op`, message: 'must be is, is_not, present or absent' });
      else if ((raw.op === 'is' || raw.op === 'is_not') && !Object.hasOwn(raw, 'value')) errors.push({ field: `${at}.value`, message: 'must be given with is / is_not' });
      if (JSON.stringify(raw.value ?? null).length > 2000) errors.push({ field: `${at}.value`, message: 'is too long' });
      return errors.length === n ? { type, key: raw.key as string, op: raw.op as 'is', value: raw.value } : undefined;
    }
    case 'changed': {
      keysOnly(raw, ['field', 'from', 'to'], at, errors);
      if (!oneOf(CHANGEABLE_FIELDS, raw.field)) return void errors.push({ field: `${at}.field`, message: `must be one of ${CHANGEABLE_FIELDS.join(', ')}` });
      const out: RuleCondition = { type, field: raw.field };
      if (raw.from !== undefined) out.from = readValue(raw.field, raw.from, `${at}.from`, errors, true);
      if (raw.to !== undefined) out.to = readValue(raw.field, raw.to, `${at}.to`, errors, true);
      return errors.length === n ? out : undefined;
    }
    case 'tag_added':
    case 'tag_removed': {
      keysOnly(raw, ['tag'], at, errors);
      const tags = readTags([raw.tag], `${at}.tag`, errors);
      return errors.length === n ? { type, tag: tags![0]! } : undefined;
    }
    case 'created':
      keysOnly(raw, [], at, errors);
      return errors.length === n ? { type } : undefined;
    case 'message_added': {
      keysOnly(raw, ['by', 'visibility'], at, errors);
      const by = raw.by ?? 'any';
      const visibility = raw.visibility ?? 'any';
      if (!oneOf(['requester', 'agent', 'any'] as const, by)) errors.push({ field: `${at}.by`, message: 'must be requester, agent or any' });
      if (!oneOf(['public', 'internal', 'any'] as const, visibility)) errors.push({ field: `${at}.visibility`, message: 'must be public, internal or any' });
      return errors.length === n ? { type, by: by as 'any', visibility: visibility as 'any' } : undefined;
    }
    case 'business_hours':
      keysOnly(raw, ['within'], at, errors);
      if (typeof raw.within !== 'boolean') errors.push({ field: `${at}.within`, message: 'must be true or false' });
      return errors.length === n ? { type, within: raw.within as boolean } : undefined;
    case 'time_of_day': {
      keysOnly(raw, ['from', 'to', 'days'], at, errors);
      if (typeof raw.from !== 'string' || !HHMM.test(raw.from)) errors.push({ field: `${at}.from`, message: 'must be HH:MM' });
      if (typeof raw.to !== 'string' || !HHMM.test(raw.to)) errors.push({ field: `${at}.to`, message: 'must be HH:MM (24:00 for midnight)' });
      if (raw.days !== undefined && (!Array.isArray(raw.days) || raw.days.length === 0 || raw.days.length > 7 || !raw.days.every((d) => oneOf(WEEKDAYS, d)))) {
        errors.push({ field: `${at}.days`, message: `must be 1 to 7 of ${WEEKDAYS.join(', ')}` });
      }
      return errors.length === n ? { type, from: raw.from as string, to: raw.to as string, ...(raw.days ? { days: [...new Set(raw.days as Weekday[])] } : {}) } : undefined;
    }
    case 'hours_since': {
      keysOnly(raw, ['since', 'hours'], at, errors);
      if (!oneOf(['created', 'updated', 'status_changed'] as const, raw.since)) errors.push({ field: `${at}.since`, message: 'must be created, updated or status_changed' });
      if (typeof raw.hours !== 'number' || !Number.isInteger(raw.hours) || raw.hours < 1 || raw.hours > 8760) errors.push({ field: `${at}.hours`, message: 'must be a whole number of hours from 1 to 8760' });
      return errors.length === n ? { type, since: raw.since as 'created', hours: raw.hours as number } : undefined;
    }
    default:
      errors.push({ field: `${at}.type`, message: 'must be one of field, tags, custom_field, changed, tag_added, tag_removed, created, message_added, business_hours, time_of_day, hours_since' });
      return undefined;
  }
}

function readTags(raw: unknown, at: string, errors: FieldError[]): string[] | undefined {
  if (!Array.isArray(raw) || raw.length === 0 || raw.length > 50 || !raw.every((t) => typeof t === 'string')) return void errors.push({ field: at, message: 'must be 1 to 50 tags' });
  try {
    return normaliseTags(raw as string[]);
  } catch {
    return void errors.push({ field: at, message: 'each tag must be 1 to 50 letters, digits, _, - or :' });
  }
}

/** The conditions as sent → typed conditions, or a 422 naming every bad one (`conditions.all[1].value`). */
export function readConditions(input: unknown, kind: RuleKind): RuleConditions {
  const errors: FieldError[] = [];
  if (!isObject(input)) throw invalid('conditions', [{ field: 'conditions', message: 'must be an object with all and any lists' }]);
  for (const k of Object.keys(input)) if (k !== 'all' && k !== 'any') errors.push({ field: `conditions.${k}`, message: 'is not a property (all, any)' });
  const read = (list: 'all' | 'any'): RuleCondition[] => {
    const raw = input[list] ?? [];
    if (!Array.isArray(raw) || raw.length > MAX_CONDITIONS) {
      errors.push({ field: `conditions.${list}`, message: `must be a list of at most ${MAX_CONDITIONS} conditions` });
      return [];
    }
    return raw.flatMap((c, i) => readCondition(c, `conditions.${list}[${i}]`, kind, errors) ?? []);
  };
  const out = { all: read('all'), any: read('any') };
  if (errors.length === 0 && out.all.length + out.any.length === 0) errors.push({ field: 'conditions', message: 'must name at least one condition' });
  if (kind === 'trigger' && errors.length === 0 && ![...out.all, ...out.any].some((c) => CHANGE_CONDITIONS.includes(c.type))) {
    // Without one, a trigger would act on every update of every matching ticket.
    errors.push({ field: 'conditions', message: 'a trigger needs at least one condition on the update (changed, tag_added, tag_removed, created, message_added)' });
  }
  if (kind === 'automation' && errors.length === 0 && !out.all.some((c) => c.type === 'hours_since')) {
    errors.push({ field: 'conditions.all', message: 'an automation needs an hours_since condition in all' });
  }
  if (errors.length > 0) throw invalid('conditions', errors);
  return out;
}

/** The actions as sent: the macros' reader for theirs (same checks, same problems), ours for `notify_webhook`. */
export function readActions(input: unknown): RuleAction[] {
  if (!Array.isArray(input) || input.length === 0 || input.length > 30) throw invalid('actions', [{ field: 'actions', message: 'must be a list of 1 to 30 actions' }]);
  const errors: FieldError[] = [];
  const out: RuleAction[] = [];
  input.forEach((raw, i) => {
    const at = `actions[${i}]`;
    if (isObject(raw) && raw.type === 'notify_webhook') {
      for (const k of Object.keys(raw)) if (!['type', 'topic', 'note'].includes(k)) errors.push({ field: `${at}.${k}`, message: 'is not a property of this action' });
      if (typeof raw.topic !== 'string' || !TOPIC.test(raw.topic)) errors.push({ field: `${at}.topic`, message: 'must be 1 to 64 lower-case letters, digits, _ . or -' });
      if (raw.note !== undefined && (typeof raw.note !== 'string' || raw.note.length > 1000)) errors.push({ field: `${at}.note`, message: 'must be a text of at most 1000 characters' });
      out.push({ type: 'notify_webhook', topic: raw.topic as string, ...(typeof raw.note === 'string' ? { note: raw.note } : {}) });
      return;
    }
    if (isObject(raw) && raw.type === 'add_localized_reply') {
      const read = readLocalizedReply(raw, at, errors);
      if (read) out.push(read);
      return;
    }
    if (isObject(raw) && raw.type === 'add_checklist') return void errors.push({ field: `${at}.type`, message: 'add_checklist is a macro action only' });
    try {
      out.push(readMacroActions([raw])[0]!);
    } catch (error) {
      if (!(error instanceof ProblemException)) throw error;
      const renamed = (error.problem.errors ?? []).map((e) => ({ field: e.field.replace(/^actions\[0\]/, at), message: e.message }));
      if (error.problem.status === 422) throw new ProblemException({ ...error.problem, detail: error.problem.detail.replaceAll('actions[0]', at), errors: renamed });
      errors.push(...renamed);
    }
  });
  if (errors.length > 0) throw invalid('actions', errors);
  return out;
}

const MAX_LOCALES = 20;
const MAX_BODY = 20_000;

function readLocalizedReply(raw: Record<string, unknown>, at: string, errors: FieldError[]): LocalizedReplyAction | undefined {
  const n = errors.length;
  for (const k of Object.keys(raw)) if (!['type', 'visibility', 'bodies', 'fallback'].includes(k)) errors.push({ field: `${at}.${k}`, message: 'is not a property of this action' });
  if (!oneOf(['public', 'internal'] as const, raw.visibility)) errors.push({ field: `${at}.visibility`, message: 'must be public or internal' });
  const bodies: Record<string, string> = {};
  if (!isObject(raw.bodies) || Object.keys(raw.bodies).length === 0 || Object.keys(raw.bodies).length > MAX_LOCALES) {
    errors.push({ field: `${at}.bodies`, message: `must map 1 to ${MAX_LOCALES} locales (en, pt-BR…) to a text` });
    return undefined;
  }
  for (const [locale, body] of Object.entries(raw.bodies)) {
    const canonical = /^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})?$/.test(locale) ? canonicalLocale(locale) : null;
    if (!canonical) errors.push({ field: `${at}.bodies.${locale}`, message: 'is not a locale (en, pt-BR…)' });
    const text = typeof body === 'string' ? body.trim() : '';
    if (!text || text.length > MAX_BODY) errors.push({ field: `${at}.bodies.${locale}`, message: `must be a text of 1 to ${MAX_BODY} characters` });
    else if (unknownPlaceholders(text).length > 0) {
      errors.push({ field: `${at}.bodies.${locale}`, message: `unknown placeholder {{${unknownPlaceholders(text)[0]}}}; known: ${MACRO_PLACEHOLDERS.map((p) => `{{${p}}}`).join(', ')}` });
    }
    if (canonical) bodies[canonical] = text;
  }
  const fallback = typeof raw.fallback === 'string' ? canonicalLocale(raw.fallback) : raw.fallback === undefined ? (Object.keys(bodies)[0] ?? null) : null;
  if (!fallback || !bodies[fallback]) errors.push({ field: `${at}.fallback`, message: 'must be one of the locales in bodies' });
  return errors.length === n ? { type: 'add_localized_reply', visibility: raw.visibility as 'public', bodies, fallback: fallback! } : undefined;
}

/** The body for a requester of `locale` (their language, then the fallback). */
export function localizedBody(action: LocalizedReplyAction, locale: string | null | undefined): string {
  for (const candidate of localeChain(locale, action.fallback)) if (action.bodies[candidate]) return action.bodies[candidate];
  return action.bodies[action.fallback]!;
}

/** What one pass of an update changed: the ticket's field delta, tags added / removed, messages added, and whether it was created. */
export interface RuleChange {
  created: boolean;
  delta: FieldDelta;
  messages: { authorType: 'agent' | 'contact' | 'system'; visibility: 'public' | 'internal' }[];
}
export const noChange = (): RuleChange => ({ created: false, delta: {}, messages: [] });
export const isEmptyChange = (c: RuleChange) => !c.created && Object.keys(c.delta).length === 0 && c.messages.length === 0;

/** What conditions read beyond the ticket: now, the group's calendar, the requester's organization, the ticket's timestamps. */
export interface RuleContext {
  now: number;
  calendar: PreparedCalendar | null;
  organizationId: string | null;
  /** When the ticket entered its current status (automations). */
  statusSince?: number;
}

const FIELD_OF: Record<TicketField, (t: TicketView, ctx: RuleContext) => string | null> = {
  status: (t) => t.status,
  priority: (t) => t.priority,
  type: (t) => t.type,
  channel: (t) => t.channel,
  group: (t) => t.groupId,
  assignee: (t) => t.assigneeId,
  requester: (t) => t.requesterId,
  organization: (_, ctx) => ctx.organizationId,
};
const DELTA_KEY: Record<ChangeableField, string> = { status: 'status', priority: 'priority', type: 'type', group: 'groupId', assignee: 'assigneeId' };

function minuteOfDay(zone: string, now: number): { minute: number; day: Weekday } {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', weekday: 'short', hourCycle: 'h23' }).formatToParts(new Date(now));
  const get = (t: string) => parts.find((p) => p.type === t)!.value;
  return { minute: Number(get('hour')) * 60 + Number(get('minute')), day: get('weekday').toLowerCase().slice(0, 3) as Weekday };
}
const toMinute = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));

function tagsOf(delta: FieldDelta): { added: string[]; removed: string[] } {
  const d = delta.tags;
  if (!d) return { added: [], removed: [] };
  const from = (d.from as string[] | null) ?? [];
  const to = (d.to as string[] | null) ?? [];
  return { added: to.filter((t) => !from.includes(t)), removed: from.filter((t) => !to.includes(t)) };
}

/** Whether one condition holds for the ticket, the change of this pass and the context. Pure. */
export function conditionHolds(c: RuleCondition, t: TicketView, change: RuleChange, ctx: RuleContext): boolean {
  switch (c.type) {
    case 'field': {
      const v = FIELD_OF[c.field](t, ctx);
      return c.op === 'is' ? v === c.value : v !== c.value;
    }
    case 'tags':
      if (c.op === 'include_any') return c.tags.some((x) => t.tags.includes(x));
      if (c.op === 'include_all') return c.tags.every((x) => t.tags.includes(x));
      return !c.tags.some((x) => t.tags.includes(x));
    case 'custom_field': {
      const v = t.fields[c.key];
      const present = v !== undefined && v !== null;
      if (c.op === 'present') return present;
      if (c.op === 'absent') return !present;
      const same = JSON.stringify(v ?? null) === JSON.stringify(c.value ?? null);
      return c.op === 'is' ? same : !same;
    }
    case 'changed': {
      const d = change.delta[DELTA_KEY[c.field]];
      if (!d) return false;
      return (c.from === undefined || d.from === c.from) && (c.to === undefined || d.to === c.to);
    }
    case 'tag_added':
      return tagsOf(change.delta).added.includes(c.tag);
    case 'tag_removed':
      return tagsOf(change.delta).removed.includes(c.tag);
    case 'created':
      return change.created;
    case 'message_added':
      return change.messages.some(
        (m) => (c.by === 'any' || (c.by === 'requester' ? m.authorType === 'contact' : m.authorType === 'agent')) && (c.visibility === 'any' || m.visibility === c.visibility),
      );
    case 'business_hours':
      return ctx.calendar ? isOpenAt(ctx.calendar, ctx.now) === c.within : !c.within;
    case 'time_of_day': {
      const { minute, day } = minuteOfDay(ctx.calendar?.spec.timeZone ?? 'UTC', ctx.now);
      if (c.days && !c.days.includes(day)) return false;
      const from = toMinute(c.from);
      const to = toMinute(c.to);
      return from <= to ? minute >= from && minute < to : minute >= from || minute < to;
    }
    case 'hours_since': {
      const at = c.since === 'created' ? Date.parse(t.createdAt) : c.since === 'updated' ? Date.parse(t.updatedAt) : (ctx.statusSince ?? Date.parse(t.updatedAt));
      return ctx.now - at >= c.hours * 3600_000;
    }
    default: {
      const unhandled: never = c;
      throw new Error(`Unhandled condition ${JSON.stringify(unhandled)}`);
    }
  }
}

/**
 * Whether the rule's conditions on the update itself (those in `all`) hold for this change: what
 * can be told without loading the ticket, so an update that no trigger reacts to costs no more reads.
 */
export function mayFire(conditions: RuleConditions, change: RuleChange): boolean {
  const none = { now: 0, calendar: null, organizationId: null };
  return conditions.all.every((c) => !CHANGE_CONDITIONS.includes(c.type) || conditionHolds(c, undefined as never, change, none));
}

export function conditionsHold(conditions: RuleConditions, t: TicketView, change: RuleChange, ctx: RuleContext): boolean {
  return conditions.all.every((c) => conditionHolds(c, t, change, ctx)) && (conditions.any.length === 0 || conditions.any.some((c) => conditionHolds(c, t, change, ctx)));
}

/** What reading the conditions needs loaded (so an update with no such rule loads nothing more). */
export const needs = (rules: readonly { conditions: RuleConditions }[]) => {
  const all = rules.flatMap((r) => [...r.conditions.all, ...r.conditions.any]);
  return {
    calendar: all.some((c) => c.type === 'business_hours' || c.type === 'time_of_day'),
    organization: all.some((c) => c.type === 'field' && c.field === 'organization'),
  };
};

/** The references a rule names that must exist: groups and users in actions (the macros' check), groups in conditions. */
export const macroActionsOf = (actions: readonly RuleAction[]): MacroAction[] => actions.filter((a): a is MacroAction => a.type !== 'notify_webhook' && a.type !== 'add_localized_reply');

/** The actions as the macros' planner runs them: a localized reply becomes the reply in the requester's language (order kept). */
export const plannedActionsOf = (actions: readonly RuleAction[], locale: string | null | undefined): MacroAction[] =>
  actions.flatMap((a): MacroAction[] => (a.type === 'add_localized_reply' ? [{ type: 'add_reply', visibility: a.visibility, body: localizedBody(a, locale) }] : a.type === 'notify_webhook' ? [] : [a]));
