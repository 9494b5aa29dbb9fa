import { ProblemException } from '@switchboard/platform';
import type { TicketMetrics } from './ticket-metrics';

/** A row of the ticket-metrics export: the ticket's figures and when the worker last computed them. */
export interface ExportedTicketMetrics extends TicketMetrics {
  computedAt: string;
}

/** Where an export resumes: after this (computedAt, ticketId) in the export's order. */
export interface ExportCursor {
  after: string;
  ticketId: string;
}

export const EXPORT_FORMATS = ['csv', 'ndjson'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** How far the next pull's cursor reaches back: a worker transaction that began before the export and committed after it is still seen. */
export const CURSOR_OVERLAP_SECONDS = 60;

const NIL_UUID = '00000000-0000-0000-0000-000000000000';

const badCursor = () =>
  new ProblemException({
    status: 400,
    type: 'validation-failed',
    title: 'Bad Request',
    detail: 'The cursor is not one this export gave out: pass the Export-Cursor header of an earlier export unchanged, or leave it out for everything.',
    errors: [{ field: 'cursor', message: 'is not a cursor of this export' }],
  });

export function encodeCursor(cursor: ExportCursor): string {
  return Buffer.from(JSON.stringify({ a: cursor.after, t: cursor.ticketId })).toString('base64url');
}

/** The cursor of the next incremental pull: everything computed from `since` on. */
export const cursorSince = (since: string): string => encodeCursor({ after: since, ticketId: NIL_UUID });

export function decodeCursor(text: string): ExportCursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw badCursor();
  }
  const { a, t } = (parsed ?? {}) as { a?: unknown; t?: unknown };
  if (typeof a !== 'string' || typeof t !== 'string' || Number.isNaN(Date.parse(a)) || !/^[0-9a-f-]{36}$/i.test(t)) throw badCursor();
  return { after: a, ticketId: t };
}

/** The CSV columns, in order; one line per ticket. */
export const CSV_COLUMNS = [
  'ticket_id', 'created_at', 'status', 'custom_status_id', 'group_id', 'assignee_id', 'channel', 'priority',
  'first_reply_at', 'first_reply_minutes', 'first_reply_business_minutes', 'next_replies', 'next_reply_minutes_avg',
  'first_solved_at', 'solved_at', 'full_resolution_minutes', 'full_resolution_business_minutes',
  'public_replies', 'internal_notes', 'reopens', 'assignee_changes', 'group_changes', 'agent_touches', 'computed_at',
] as const;

export function csvRecord(m: ExportedTicketMetrics): (string | number | null)[] {
  const avg = m.nextReplies.length ? Math.round((m.nextReplies.reduce((s, r) => s + r.minutes, 0) / m.nextReplies.length) * 100) / 100 : null;
  return [
    m.ticketId, m.createdAt, m.status, m.customStatusId, m.groupId, m.assigneeId, m.channel, m.priority,
    m.firstReplyAt, m.firstReplyMinutes, m.firstReplyBusinessMinutes, m.nextReplies.length, avg,
    m.firstSolvedAt, m.solvedAt, m.fullResolutionMinutes, m.fullResolutionBusinessMinutes,
    m.publicReplies, m.internalNotes, m.reopens, m.assigneeChanges, m.groupChanges, m.agentTouches, m.computedAt,
  ];
}
