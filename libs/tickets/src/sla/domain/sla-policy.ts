import { ProblemException } from '@switchboard/platform';
import { PRIORITIES, STATUSES, type Status } from '../../domain/ticket';
import { SLA_METRICS, type SlaMetric, type SlaTargets } from './sla-clock';

/** Which tickets a policy covers: every condition given must hold (lists: any of their values). */
export interface PolicyConditions {
  priorities?: string[];
  groupIds?: string[];
  channels?: string[];
  types?: string[];
  /** The ticket has at least one of these tags. */
  tagsAny?: string[];
  /** The requester's organization is one of these (a requester without one never matches). */
  organizationIds?: string[];
  /** Custom field conditions, all of which hold; the views' operators, checked against the tenant's fields when saved. */
  fields?: PolicyFieldCondition[];
}

export const POLICY_FIELD_OPS = ['eq', 'in', 'gt', 'gte', 'lt', 'lte', 'any', 'none'] as const;
export type PolicyFieldOp = (typeof POLICY_FIELD_OPS)[number];

/** eq / ranges: one value; in: several (any of); any: has a value; none: has none. */
export interface PolicyFieldCondition {
  key: string;
  op: PolicyFieldOp;
  value?: string | number | boolean | string[];
}

/** What a policy's conditions read of a ticket. */
export interface PolicyTicket {
  priority: string;
  groupId: string | null;
  channel: string;
  type: string;
  tags: string[];
  /** The requester's organization; undefined: not loaded because no policy reads it. */
  organizationId?: string | null;
  fields?: Record<string, unknown>;
}

export type PolicyTargets = Partial<Record<(typeof PRIORITIES)[number], SlaTargets>>;

export interface PolicyFields {
  name: string;
  description: string | null;
  position: number;
  active: boolean;
  conditions: PolicyConditions;
  targets: PolicyTargets;
  businessHours: boolean;
  /** The calendar business time runs on; null: the ticket's group's calendar. */
  calendarId: string | null;
  pauseStatuses: Status[];
  /** Minutes before a deadline when the warning fires (counted in the policy's time); null: no warning. */
  warningMinutes: number | null;
}

/** A year of minutes: a target longer than that is a typo. */
export const MAX_TARGET_MINUTES = 525_600;
export const MAX_POLICIES = 100;

const invalid = (field: string, detail: string) => new ProblemException({ status: 422, type: 'validation', title: 'Unprocessable Content', detail, errors: [{ field, message: detail }] });

/** Targets name known priorities and metrics, in whole minutes from 1 to a year; pause statuses cannot be solved or closed (those stop the clock). */
export function assertPolicyShape(f: PolicyFields): void {
  const priorities = Object.keys(f.targets);
  if (priorities.length === 0) throw invalid('targets', 'A policy has targets for at least one priority, e.g. {"urgent": {"first_reply": 30}}.');
  for (const priority of priorities) {
    if (!(PRIORITIES as readonly string[]).includes(priority)) throw invalid(`targets.${priority}`, `Targets are per priority (${PRIORITIES.join(', ')}); "${priority}" is not one.`);
    const metrics = f.targets[priority as keyof PolicyTargets] ?? {};
    if (typeof metrics !== 'object' || Array.isArray(metrics) || Object.keys(metrics).length === 0) throw invalid(`targets.${priority}`, `Give ${priority} at least one of ${SLA_METRICS.join(', ')} in minutes.`);
    for (const [metric, minutes] of Object.entries(metrics)) {
      if (!(SLA_METRICS as readonly string[]).includes(metric)) throw invalid(`targets.${priority}.${metric}`, `The metrics are ${SLA_METRICS.join(', ')}; "${metric}" is not one.`);
      if (!Number.isInteger(minutes) || minutes < 1 || minutes > MAX_TARGET_MINUTES) throw invalid(`targets.${priority}.${metric}`, `A target is whole minutes from 1 to ${MAX_TARGET_MINUTES}.`);
    }
  }
  for (const s of f.pauseStatuses) {
    if (!(STATUSES as readonly string[]).includes(s) || s === 'solved' || s === 'closed' || s === 'new' || s === 'open') throw invalid('pauseStatuses', 'Only pending and on_hold can pause the clock (solving stops it).');
  }
  if (f.warningMinutes !== null && (!Number.isInteger(f.warningMinutes) || f.warningMinutes < 1 || f.warningMinutes > MAX_TARGET_MINUTES)) {
    throw invalid('warningMinutes', `A warning is whole minutes from 1 to ${MAX_TARGET_MINUTES} before the deadline, or null for none.`);
  }
  if (!f.businessHours && f.calendarId) throw invalid('calendarId', 'A policy in calendar time (businessHours false) uses no calendar.');
}

/** Whether some policy reads the requester's organization (so it is loaded only then). */
export const readsOrganization = (policies: readonly { conditions: PolicyConditions }[]) => policies.some((p) => (p.conditions.organizationIds?.length ?? 0) > 0);

/** Whether some policy reads custom field values. */
export const readsFields = (policies: readonly { conditions: PolicyConditions }[]) => policies.some((p) => (p.conditions.fields?.length ?? 0) > 0);

const present = (v: unknown) => v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0);
/** Numbers compare as numbers, dates (YYYY-MM-DD, ISO) as text. */
const compare = (a: unknown, b: unknown): number => {
  const x = Number(a);
  const y = Number(b);
  if (typeof a !== 'boolean' && a !== '' && Number.isFinite(x) && Number.isFinite(y)) return x - y;
  return String(a).localeCompare(String(b));
};

/** One custom field condition over the ticket's values (a multi-select matches when one of its options does). Pure. */
export function fieldConditionHolds(c: PolicyFieldCondition, fields: Record<string, unknown>): boolean {
  const v = fields[c.key];
  if (c.op === 'any') return present(v);
  if (c.op === 'none') return !present(v);
  if (!present(v)) return false;
  const values = (Array.isArray(v) ? v : [v]).map(String);
  switch (c.op) {
    case 'eq':
      return values.includes(String(c.value));
    case 'in':
      return ((c.value as string[] | undefined) ?? []).some((x) => values.includes(String(x)));
    case 'gt':
      return compare(v, c.value) > 0;
    case 'gte':
      return compare(v, c.value) >= 0;
    case 'lt':
      return compare(v, c.value) < 0;
    case 'lte':
      return compare(v, c.value) <= 0;
  }
}

/** Whether a ticket meets a policy's conditions. */
export function policyApplies(c: PolicyConditions, t: PolicyTicket): boolean {
  if (c.priorities?.length && !c.priorities.includes(t.priority)) return false;
  if (c.groupIds?.length && !(t.groupId && c.groupIds.includes(t.groupId))) return false;
  if (c.channels?.length && !c.channels.includes(t.channel)) return false;
  if (c.types?.length && !c.types.includes(t.type)) return false;
  if (c.tagsAny?.length && !c.tagsAny.some((tag) => t.tags.includes(tag))) return false;
  if (c.organizationIds?.length && !(t.organizationId && c.organizationIds.includes(t.organizationId))) return false;
  if (c.fields?.length && !c.fields.every((f) => fieldConditionHolds(f, t.fields ?? {}))) return false;
  return true;
}

export type { SlaMetric };
