import { wallClock } from './availability';

export const MESSAGE_KINDS = ['visit_confirmation', 'visit_rescheduled', 'visit_cancelled', 'visit_reminder', 'service_reminder'] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

export const MESSAGE_STATUSES = ['pending', 'sending', 'sent', 'cancelled', 'failed'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

/** The kinds that announce a visit's booking, move or cancellation: they carry a calendar invite. */
export const INVITE_KINDS: readonly MessageKind[] = ['visit_confirmation', 'visit_rescheduled', 'visit_cancelled'];

/** A tenant's field-service messaging settings (defaults apply until it saves its own). */
export interface MessageSettings {
  /** How long before a visit its reminder goes out; 0: no reminders. */
  visitReminderMinutes: number;
  /** Whether booking, moving or cancelling a visit sends the customer a notice with an invite. */
  visitConfirmations: boolean;
  /** The hour (customer's local time) at which a service reminder goes out on its day. */
  serviceReminderHour: number;
}

export const DEFAULT_MESSAGE_SETTINGS: MessageSettings = { visitReminderMinutes: 1440, visitConfirmations: true, serviceReminderHour: 9 };

/** A message to store: what it says, when it goes out, and the visit times it speaks of. */
export interface PlannedMessage {
  kind: MessageKind;
  sendAt: Date;
  visitStart: Date | null;
  visitEnd: Date | null;
}

/**
 * What booking or moving a visit sends: the notice now (when the tenant sends notices) and the
 * reminder `visitReminderMinutes` before the start, unless that instant has passed (a visit booked
 * closer than the lead time gets its notice only).
 */
export function planVisitMessages(change: 'booked' | 'moved', visit: { start: Date; end: Date }, now: Date, settings: MessageSettings): PlannedMessage[] {
  const planned: PlannedMessage[] = [];
  const times = { visitStart: visit.start, visitEnd: visit.end };
  if (visit.start.getTime() <= now.getTime()) return planned;
  if (settings.visitConfirmations) planned.push({ kind: change === 'booked' ? 'visit_confirmation' : 'visit_rescheduled', sendAt: now, ...times });
  if (settings.visitReminderMinutes > 0) {
    const at = new Date(visit.start.getTime() - settings.visitReminderMinutes * 60_000);
    if (at.getTime() > now.getTime()) planned.push({ kind: 'visit_reminder', sendAt: at, ...times });
  }
  return planned;
}

/** The instant a service reminder due on `dueOn` (a date) goes out: the settings' hour in the customer's zone. */
export function serviceReminderAt(dueOn: string, timeZone: string, settings: MessageSettings): Date {
  return wallClock(dueOn, settings.serviceReminderHour * 60, timeZone);
}

/** The visit as it is now, for deciding whether a message about it still holds. */
export interface VisitState {
  status: string;
  scheduledStart: string;
}

/**
 * Why a pending message about a visit no longer holds (it is then cancelled, not sent), or null.
 * A cancellation notice holds while the visit stays cancelled; the others while the visit is still
 * scheduled at the time they speak of.
 */
export function staleReason(message: { kind: MessageKind; visitStart: string | null }, visit: VisitState | undefined): string | null {
  if (message.kind === 'service_reminder') return null;
  if (!visit) return 'The visit no longer exists.';
  if (message.kind === 'visit_cancelled') return visit.status === 'cancelled' ? null : 'The visit is no longer cancelled.';
  if (visit.status !== 'scheduled') return `The visit is ${visit.status.replace('_', ' ')}.`;
  if (message.visitStart && new Date(message.visitStart).getTime() !== new Date(visit.scheduledStart).getTime()) return 'The visit was moved; a newer message replaces this one.';
  return null;
}

/** Attempts before a message is marked failed, and the wait before each retry. */
export const MAX_SEND_ATTEMPTS = 5;
export function retryDelayMs(attempts: number): number {
  return Math.min(60 * 60_000, 60_000 * 4 ** Math.max(0, attempts - 1));
}

/** A message claimed longer ago than this whose sending never finished: the worker stopped mid-send. */
export const SENDING_TIMEOUT_MS = 10 * 60_000;

/** Whether `Intl` knows the zone (a contact's stored zone may predate zone checks). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
