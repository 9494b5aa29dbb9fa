import { businessMinutesBetween, prepareCalendar, type PreparedCalendar, type TicketTimeline, type TimelineEntry } from '@switchboard/tickets';

/** One stretch of time a ticket spent in one status (and custom status); the current one has no end. */
export interface StatusInterval {
  seq: number;
  status: string;
  customStatusId: string | null;
  startedAt: string;
  endedAt: string | null;
  minutes: number | null;
  businessMinutes: number | null;
}

/** A requester's message after an agent had answered, and the agent's next public reply to it. */
export interface NextReply {
  requestedAt: string;
  repliedAt: string;
  minutes: number;
  businessMinutes: number | null;
}

export interface TicketMetrics {
  ticketId: string;
  createdAt: string;
  status: string;
  customStatusId: string | null;
  groupId: string | null;
  assigneeId: string | null;
  channel: string;
  priority: string;
  /** The ticket's tags now, sorted. */
  tags: string[];
  firstReplyAt: string | null;
  firstReplyMinutes: number | null;
  firstReplyBusinessMinutes: number | null;
  nextReplies: NextReply[];
  /** When the ticket was first solved (or closed); kept after a reopen. */
  firstSolvedAt: string | null;
  /** When it was last solved, while it still is (null once reopened). */
  solvedAt: string | null;
  fullResolutionMinutes: number | null;
  fullResolutionBusinessMinutes: number | null;
  publicReplies: number;
  internalNotes: number;
  reopens: number;
  assigneeChanges: number;
  groupChanges: number;
  agentTouches: number;
  /** The last history entry counted: the metrics are those of the history up to it. */
  historyPosition: number;
}

const DONE = new Set(['solved', 'closed']);
/** Minutes to the hundredth, so stored and recomputed figures compare exactly. */
export const round = (minutes: number): number => Math.round(minutes * 100) / 100;
export const calendarMinutes = (from: string, to: string): number => round((Date.parse(to) - Date.parse(from)) / 60_000);

/** Business minutes on the group's calendar; null without one, or when the calendar cannot answer (closed for years). */
export function businessMinutes(calendar: PreparedCalendar | null, from: string, to: string): number | null {
  if (!calendar) return null;
  try {
    return round(businessMinutesBetween(calendar, Date.parse(from), Date.parse(to)));
  } catch {
    return null;
  }
}

export function prepared(timeline: TicketTimeline): PreparedCalendar | null {
  if (!timeline.calendar) return null;
  try {
    return prepareCalendar(timeline.calendar);
  } catch {
    return null;
  }
}

const isAgentTouch = (e: TimelineEntry) => e.actorType === 'user' && (e.action === 'ticket.updated' || (e.action === 'ticket.message_added' && e.message?.authorType === 'agent'));

/**
 * A ticket's metrics and status intervals from its history alone (pure): the same function serves
 * the worker after each event and the operator's rebuild, so the two agree by construction.
 */
export function computeTicketMetrics(timeline: TicketTimeline): { metrics: TicketMetrics; intervals: StatusInterval[] } {
  const calendar = prepared(timeline);
  const span = (from: string, to: string) => ({ minutes: calendarMinutes(from, to), businessMinutes: businessMinutes(calendar, from, to) });
  const created = timeline.entries.find((e) => e.action === 'ticket.created');
  const createdAt = created?.at ?? timeline.createdAt;

  const intervals: StatusInterval[] = [];
  let current = { status: created?.status?.to ?? 'new', customStatusId: created?.customStatusId?.to ?? null, startedAt: createdAt };
  const close = (at: string) => intervals.push({ seq: intervals.length + 1, ...current, endedAt: at, ...span(current.startedAt, at) });

  let firstReplyAt: string | null = null;
  let waitingSince: string | null = null;
  const nextReplies: NextReply[] = [];
  let firstSolvedAt: string | null = DONE.has(current.status) ? createdAt : null;
  let solvedAt = firstSolvedAt;
  const counts = { publicReplies: 0, internalNotes: 0, reopens: 0, assigneeChanges: 0, groupChanges: 0, agentTouches: 0 };

  for (const e of timeline.entries) {
    if (isAgentTouch(e)) counts.agentTouches++;
    if (e.action === 'ticket.created') continue;
    if (e.message) {
      if (e.message.visibility === 'internal') counts.internalNotes++;
      else if (e.message.authorType === 'agent') {
        counts.publicReplies++;
        if (firstReplyAt === null) firstReplyAt = e.at;
        else if (waitingSince !== null) nextReplies.push({ requestedAt: waitingSince, repliedAt: e.at, ...span(waitingSince, e.at) });
        waitingSince = null;
      } else if (e.message.authorType === 'contact' && firstReplyAt !== null && waitingSince === null) waitingSince = e.at;
    }
    if (e.assigneeId && e.assigneeId.from !== e.assigneeId.to) counts.assigneeChanges++;
    if (e.groupId && e.groupId.from !== e.groupId.to) counts.groupChanges++;
    const status = e.status?.to ?? current.status;
    const customStatusId = e.customStatusId ? e.customStatusId.to : status !== current.status ? null : current.customStatusId;
    if (status === current.status && customStatusId === current.customStatusId) continue;
    if (status !== current.status) {
      if (DONE.has(current.status) && !DONE.has(status)) {
        counts.reopens++;
        solvedAt = null;
      } else if (!DONE.has(current.status) && DONE.has(status)) {
        solvedAt = e.at;
        firstSolvedAt ??= e.at;
      }
    }
    close(e.at);
    current = { status, customStatusId, startedAt: e.at };
  }
  intervals.push({ seq: intervals.length + 1, ...current, endedAt: null, minutes: null, businessMinutes: null });

  const firstReply = firstReplyAt ? span(createdAt, firstReplyAt) : null;
  const resolution = solvedAt ? span(createdAt, solvedAt) : null;
  return {
    metrics: {
      ticketId: timeline.ticketId,
      createdAt,
      status: timeline.status,
      customStatusId: timeline.customStatusId,
      groupId: timeline.groupId,
      assigneeId: timeline.assigneeId,
      channel: timeline.channel,
      priority: timeline.priority,
      tags: [...new Set(timeline.tags ?? [])].sort(),
      firstReplyAt,
      firstReplyMinutes: firstReply?.minutes ?? null,
      firstReplyBusinessMinutes: firstReply?.businessMinutes ?? null,
      nextReplies,
      firstSolvedAt,
      solvedAt,
      fullResolutionMinutes: resolution?.minutes ?? null,
      fullResolutionBusinessMinutes: resolution?.businessMinutes ?? null,
      ...counts,
      historyPosition: timeline.entries.at(-1)?.position ?? 0,
    },
    intervals,
  };
}
