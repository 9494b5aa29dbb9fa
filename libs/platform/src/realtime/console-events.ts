/**
 * The agent console's wire contract: every event the `/agents` Socket.IO namespace sends and
 * accepts, typed once for the api's gateway, the worker's emitter, the replay endpoint and tests.
 * Documented for client authors in docs/realtime.md.
 */
import type { EventEnvelope } from '../outbox/event-envelope';

export const AGENTS_NAMESPACE = '/agents';

/** Rooms: every socket joins its tenant's and its user's; ticket rooms only after an authorization check. */
export const rooms = {
  tenant: (tenantId: string) => `tenant:${tenantId}`,
  user: (tenantId: string, userId: string) => `user:${tenantId}:${userId}`,
  ticket: (tenantId: string, ticketId: string) => `ticket:${tenantId}:${ticketId}`,
};

/** What every ticket event carries, so a client can drop duplicates (eventId) and stale updates (version). */
export interface TicketEventBase {
  /** The outbox event id: unique, and the cursor for `GET /v1/events?after=`. */
  eventId: string;
  ticketId: string;
  /** The ticket's version after the change; apply when ≥ the version you hold. */
  version: number;
  occurredAt: string;
  actorId: string | null;
}

export interface TicketSnapshot {
  id: string;
  number: number;
  subject: string;
  status: string;
  priority: string;
  type: string;
  channel: string;
  requesterId: string;
  assigneeId: string | null;
  tags: string[];
  dueAt: string | null;
  externalId: string | null;
}

export interface MessageSnapshot {
  id: string;
  ticketId: string;
  visibility: 'public' | 'internal';
  authorType: 'contact' | 'agent' | 'system';
  authorId: string | null;
  body: string;
  html: string | null;
  createdAt: string;
}

export type FieldDelta = Record<string, { from: unknown; to: unknown }>;

export interface TicketCreatedEvent extends TicketEventBase {
  ticket: TicketSnapshot;
}
export interface TicketUpdatedEvent extends TicketEventBase {
  /** Only the fields that changed, each with its old and new value. */
  delta: FieldDelta;
}
export interface TicketMessageAddedEvent extends TicketEventBase {
  message: MessageSnapshot;
}
export interface TicketAssignedEvent extends TicketEventBase {
  from: string | null;
  to: string | null;
}
export interface TicketStatusChangedEvent extends TicketEventBase {
  from: string;
  to: string;
}

export type PresenceStatus = 'online' | 'away' | 'offline';

export interface AgentPresence {
  userId: string;
  name: string;
  status: PresenceStatus;
  /** Open consoles (tabs, devices) of this agent across all api processes. */
  connections: number;
}

export interface PresenceChangedEvent extends AgentPresence {
  tenantId: string;
  at: string;
}

export interface TicketViewer {
  userId: string;
  name: string;
  typing: boolean;
}

/** Who is on a ticket right now; sent to its room whenever that changes. */
export interface TicketCollisionEvent {
  ticketId: string;
  viewers: TicketViewer[];
  at: string;
}

export interface SessionReadyEvent {
  socketId: string;
  user: { id: string; name: string; kind: 'user' | 'api-key'; role: string | null };
  tenantId: string;
  agents: AgentPresence[];
  /** The newest event so far: start `GET /v1/events?after=` from here after a disconnect. */
  lastEventId: string | null;
  limits: { maxPayloadBytes: number; eventsPerSecond: number; burst: number; maxTicketRooms: number };
}

export type SessionEndReason =
  | 'token-expired'
  | 'credential-revoked'
  | 'payload-too-large'
  | 'rate-limited'
  | 'malformed-payloads'
  | 'server-shutdown';

export interface SessionClosingEvent {
  reason: SessionEndReason;
  detail: string;
}

/** Server → client. */
export interface ServerToClientEvents {
  'session.ready': (e: SessionReadyEvent) => void;
  'session.expired': (e: SessionClosingEvent) => void;
  'session.closing': (e: SessionClosingEvent) => void;
  'ticket.created': (e: TicketCreatedEvent) => void;
  'ticket.updated': (e: TicketUpdatedEvent) => void;
  'ticket.message_added': (e: TicketMessageAddedEvent) => void;
  'ticket.assigned': (e: TicketAssignedEvent) => void;
  'ticket.status_changed': (e: TicketStatusChangedEvent) => void;
  'ticket.collision': (e: TicketCollisionEvent) => void;
  'presence.changed': (e: PresenceChangedEvent) => void;
}

/** Every client → server event answers through its acknowledgement callback with one of these. */
export type Ack<T = Record<string, never>> = ({ ok: true } & T) | { ok: false; error: { status: number; type: string; detail: string } };

export interface ClientToServerEvents {
  'ticket.viewing': (p: { ticketId: string }, ack?: (r: Ack<{ viewers: TicketViewer[] }>) => void) => void;
  'ticket.left': (p: { ticketId: string }, ack?: (r: Ack) => void) => void;
  'ticket.typing': (p: { ticketId: string; state: 'start' | 'stop' }, ack?: (r: Ack) => void) => void;
  'presence.set': (p: { status: 'online' | 'away' }, ack?: (r: Ack) => void) => void;
  /** Swap in a fresh access token (same user and tenant) before the current one expires. */
  'session.renew': (p: { token: string }, ack?: (r: Ack<{ expiresAt: string | null }>) => void) => void;
}

export type TicketEventName = 'ticket.created' | 'ticket.updated' | 'ticket.message_added' | 'ticket.assigned' | 'ticket.status_changed';

/** A committed domain event as the console sees it: name plus payload. */
export interface ConsoleEvent {
  event: TicketEventName;
  data: TicketEventBase & Record<string, unknown>;
}

/** Outbox event type → console event name. Only these reach consoles (and the replay endpoint). */
export const CONSOLE_EVENT_TYPES: Readonly<Record<string, TicketEventName>> = {
  'tickets.ticket_created': 'ticket.created',
  'tickets.ticket_updated': 'ticket.updated',
  'tickets.message_added': 'ticket.message_added',
  'tickets.ticket_assigned': 'ticket.assigned',
  'tickets.ticket_status_changed': 'ticket.status_changed',
};

/** The console event for a committed outbox event, or null when consoles do not care about it. */
export function toConsoleEvent(envelope: EventEnvelope): ConsoleEvent | null {
  const event = CONSOLE_EVENT_TYPES[envelope.type];
  if (!event || envelope.aggregateType !== 'ticket') return null;
  const { version, ...rest } = envelope.payload as { version?: unknown } & Record<string, unknown>;
  return {
    event,
    data: {
      ...rest,
      eventId: envelope.id,
      ticketId: envelope.aggregateId,
      version: typeof version === 'number' ? version : 0,
      occurredAt: envelope.occurredAt,
      actorId: envelope.actorId,
    },
  };
}
