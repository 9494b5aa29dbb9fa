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

/** Whether a ticket meets a policy's conditions. */
export function policyApplies(c: PolicyConditions, t: { priority: string; groupId: string | null; channel: string; type: string; tags: string[] }): boolean {
  if (c.priorities?.length && !c.priorities.includes(t.priority)) return false;
  if (c.groupIds?.length && !(t.groupId && c.groupIds.includes(t.groupId))) return false;
  if (c.channels?.length && !c.channels.includes(t.channel)) return false;
  if (c.types?.length && !c.types.includes(t.type)) return false;
  if (c.tagsAny?.length && !c.tagsAny.some((tag) => t.tags.includes(tag))) return false;
  return true;
}

export type { SlaMetric };
