import type { Statement } from '@switchboard/platform';
import type { MessageKind, MessageSettings, MessageStatus, PlannedMessage } from '../domain/messages';
import { iso } from './execute';

export interface MessageRow {
  tenant_id: string;
  id: string;
  job_id: string;
  visit_id: string | null;
  follow_up_id: string | null;
  contact_id: string;
  kind: MessageKind;
  channel: 'email';
  send_at: Date;
  visit_start: Date | null;
  visit_end: Date | null;
  sequence: number;
  status: MessageStatus;
  attempts: number;
  recipient: string | null;
  locale: string | null;
  subject: string | null;
  error: string | null;
  created_at: Date;
  sent_at: Date | null;
  cancelled_at: Date | null;
  updated_at: Date;
}

/** A message as the API shows it. */
export interface MessageView {
  id: string;
  jobId: string;
  visitId: string | null;
  /** A service reminder's follow-up (the close-out's reach-out), marked done once the reminder is sent. */
  followUpId: string | null;
  contactId: string;
  kind: MessageKind;
  channel: 'email';
  status: MessageStatus;
  sendAt: string;
  visitStart: string | null;
  visitEnd: string | null;
  attempts: number;
  /** Filled when sent: where it went, in which language, with which subject. */
  recipient: string | null;
  locale: string | null;
  subject: string | null;
  /** Why it failed or was cancelled. */
  error: string | null;
  createdAt: string;
  sentAt: string | null;
  cancelledAt: string | null;
}

const COLUMNS =
  'tenant_id, id, job_id, visit_id, follow_up_id, contact_id, kind, channel, send_at, visit_start, visit_end, sequence, status, attempts, recipient, locale, subject, error, created_at, sent_at, cancelled_at, updated_at';

export const toMessageView = (r: MessageRow): MessageView => ({
  id: r.id,
  jobId: r.job_id,
  visitId: r.visit_id,
  followUpId: r.follow_up_id,
  contactId: r.contact_id,
  kind: r.kind,
  channel: r.channel,
  status: r.status,
  sendAt: iso(r.send_at)!,
  visitStart: iso(r.visit_start),
  visitEnd: iso(r.visit_end),
  attempts: r.attempts,
  recipient: r.recipient,
  locale: r.locale,
  subject: r.subject,
  error: r.error,
  createdAt: iso(r.created_at)!,
  sentAt: iso(r.sent_at),
  cancelledAt: iso(r.cancelled_at),
});

export interface SettingsRow {
  visit_reminder_minutes: number;
  visit_confirmations: boolean;
  service_reminder_hour: number;
  updated_at: Date | null;
  version: number;
}

export const toSettings = (r: SettingsRow): MessageSettings => ({
  visitReminderMinutes: r.visit_reminder_minutes,
  visitConfirmations: r.visit_confirmations,
  serviceReminderHour: r.service_reminder_hour,
});

/** Who a new message is about. */
export interface MessageSubject {
  jobId: string;
  contactId: string;
  visitId: string | null;
  followUpId: string | null;
  sourceEventId: string | null;
}

const UPDATED = `WITH changed AS (UPDATE fs_messages SET`;
const RETURNING = `RETURNING ${COLUMNS}) SELECT * FROM changed`;

export const messagesSql = {
  settings: (tenantId: string): Statement => ({
    sql: `SELECT visit_reminder_minutes, visit_confirmations, service_reminder_hour, updated_at, version FROM fs_settings WHERE tenant_id = $1`,
    params: [tenantId],
  }),

  saveSettings: (tenantId: string, s: MessageSettings, by: string | null): Statement => ({
    sql: `INSERT INTO fs_settings (tenant_id, visit_reminder_minutes, visit_confirmations, service_reminder_hour, updated_by) VALUES ($1, $2, $3, $4, $5)
          ON CONFLICT (tenant_id) DO UPDATE SET visit_reminder_minutes = EXCLUDED.visit_reminder_minutes, visit_confirmations = EXCLUDED.visit_confirmations,
            service_reminder_hour = EXCLUDED.service_reminder_hour, updated_by = EXCLUDED.updated_by, updated_at = now(), version = fs_settings.version + 1
          RETURNING visit_reminder_minutes, visit_confirmations, service_reminder_hour, updated_at, version`,
    params: [tenantId, s.visitReminderMinutes, s.visitConfirmations, s.serviceReminderHour, by],
  }),

  /** The next invite sequence of a visit: one more than the notices already planned for it. */
  insert: (tenantId: string, subject: MessageSubject, planned: PlannedMessage): Statement => ({
    sql: `INSERT INTO fs_messages (tenant_id, job_id, contact_id, visit_id, follow_up_id, source_event_id, kind, send_at, visit_start, visit_end, sequence)
          VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10,
            (SELECT count(*) FROM fs_messages WHERE tenant_id = $1 AND visit_id = $4 AND kind IN ('visit_confirmation', 'visit_rescheduled', 'visit_cancelled')))
          RETURNING ${COLUMNS}`,
    params: [
      tenantId,
      subject.jobId,
      subject.contactId,
      subject.visitId,
      subject.followUpId,
      subject.sourceEventId,
      planned.kind,
      planned.sendAt.toISOString(),
      planned.visitStart?.toISOString() ?? null,
      planned.visitEnd?.toISOString() ?? null,
    ],
  }),

  /** Every pending message of a visit is cancelled, with the reason. */
  cancelPendingOfVisit: (tenantId: string, visitId: string, reason: string): Statement => ({
    sql: `${UPDATED} status = 'cancelled', error = $3, cancelled_at = now(), updated_at = now() WHERE tenant_id = $1 AND visit_id = $2 AND status = 'pending' ${RETURNING}`,
    params: [tenantId, visitId, reason],
  }),

  /** Whether the customer was sent a booking or move notice for the visit (then a cancellation is worth telling). */
  notified: (tenantId: string, visitId: string): Statement => ({
    sql: `SELECT EXISTS (SELECT 1 FROM fs_messages WHERE tenant_id = $1 AND visit_id = $2 AND kind IN ('visit_confirmation', 'visit_rescheduled') AND status IN ('sent', 'sending')) AS notified`,
    params: [tenantId, visitId],
  }),

  find: (tenantId: string, id: string): Statement => ({
    sql: `SELECT ${COLUMNS} FROM fs_messages WHERE tenant_id = $1 AND id = $2`,
    params: [tenantId, id],
  }),

  ofJob: (tenantId: string, jobId: string): Statement => ({
    sql: `SELECT ${COLUMNS} FROM fs_messages WHERE tenant_id = $1 AND job_id = $2 ORDER BY created_at, send_at, id LIMIT 500`,
    params: [tenantId, jobId],
  }),

  /** pending → sending for the one worker that gets there first, once it is due. */
  claim: (tenantId: string, id: string): Statement => ({
    sql: `${UPDATED} status = 'sending', attempts = attempts + 1, claimed_at = now(), updated_at = now()
          WHERE tenant_id = $1 AND id = $2 AND status = 'pending' AND send_at <= now() + interval '2 seconds' ${RETURNING}`,
    params: [tenantId, id],
  }),

  sent: (tenantId: string, id: string, outcome: { recipient: string; locale: string; subject: string }): Statement => ({
    sql: `${UPDATED} status = 'sent', sent_at = now(), recipient = $3, locale = $4, subject = left($5, 300), error = NULL, updated_at = now()
          WHERE tenant_id = $1 AND id = $2 AND status = 'sending' ${RETURNING}`,
    params: [tenantId, id, outcome.recipient, outcome.locale, outcome.subject],
  }),

  /** The reach-out a sent service reminder acted on. */
  followUpDone: (tenantId: string, followUpId: string): Statement => ({
    sql: `UPDATE fs_follow_ups SET status = 'done' WHERE tenant_id = $1 AND id = $2 AND status = 'pending'`,
    params: [tenantId, followUpId],
  }),

  /** A message that will not go out: cancelled (by someone, or because it no longer holds) or failed. */
  finish: (tenantId: string, id: string, status: 'cancelled' | 'failed', reason: string, from: readonly MessageStatus[]): Statement => ({
    sql: `${UPDATED} status = $3, error = left($4, 500), cancelled_at = CASE WHEN $3 = 'cancelled' THEN now() END, updated_at = now()
          WHERE tenant_id = $1 AND id = $2 AND status = ANY($5::text[]) ${RETURNING}`,
    params: [tenantId, id, status, reason, [...from]],
  }),

  /** Back to pending for another attempt later, with the error that stopped this one. */
  retryLater: (tenantId: string, id: string, at: Date, error: string): Statement => ({
    sql: `${UPDATED} status = 'pending', send_at = $3, error = left($4, 500), updated_at = now() WHERE tenant_id = $1 AND id = $2 AND status = 'sending' ${RETURNING}`,
    params: [tenantId, id, at.toISOString(), error],
  }),
};

/** Across tenants, as the owning role (the worker's sweep). */
export const dueMessagesSql = {
  /** Pending messages due before `horizon`, oldest first. */
  due: (horizon: Date, limit: number): Statement => ({
    sql: `SELECT tenant_id, id, send_at FROM fs_messages WHERE status = 'pending' AND send_at <= $1 ORDER BY send_at LIMIT $2`,
    params: [horizon.toISOString(), limit],
  }),

  /** Claimed before `before` and never finished: the worker stopped while sending. Not retried, so nobody is messaged twice. */
  failInterrupted: (before: Date, reason: string): Statement => ({
    sql: `WITH changed AS (UPDATE fs_messages SET status = 'failed', error = $2, updated_at = now() WHERE status = 'sending' AND claimed_at < $1 RETURNING tenant_id, id) SELECT * FROM changed`,
    params: [before.toISOString(), reason],
  }),
};
