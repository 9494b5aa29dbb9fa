/**
 * The agent console's wire contract: every event the `/agents` Socket.IO namespace sends and
 * accepts, typed once for the api's gateway, the worker's emitter, the replay endpoint and tests.
 * Documented for client authors in docs/realtime.md.
 */
import type { EventEnvelope } from '../outbox/event-envelope';
import type { ConsoleAudience, ConsoleEventMapping } from '../registry/context';
import type { ContextRegistry } from '../registry/context-registry';

export const AGENTS_NAMESPACE = '/agents';

/** Rooms: every socket joins its tenant's and its user's; ticket rooms only after an authorization check. */
export const rooms = {
  tenant: (tenantId: string) => `tenant:${tenantId}`,
  user: (tenantId: string, userId: string) => `user:${tenantId}:${userId}`,
  ticket: (tenantId: string, ticketId: string) => `ticket:${tenantId}:${ticketId}`,
  /** Sockets whose credential holds a permission some console audience names (ConsoleAudience). */
  permission: (tenantId: string, permission: string) => `perm:${tenantId}:${permission}`,
  role: (tenantId: string, role: string) => `role:${tenantId}:${role}`,
};

/**
 * What every context event on the console carries besides its own fields: the outbox event id
 * (unique, and the cursor for `GET /v1/events?after=`), when and by whom. Each context documents
 * its events' payloads beside their mapping (tickets: libs/tickets/src/realtime/console-events.ts).
 */
export interface ConsoleEventBase {
  eventId: string;
  occurredAt: string;
  actorId: string | null;
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

/** Server → client: the session's own events; context events (registered by contexts) come as ConsoleEvent. */
export interface ServerToClientEvents {
  'session.ready': (e: SessionReadyEvent) => void;
  'session.expired': (e: SessionClosingEvent) => void;
  'session.closing': (e: SessionClosingEvent) => void;
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

/** A committed domain event as the console sees it: the name a context mapped it to, plus its data. */
export interface ConsoleEvent {
  event: string;
  data: ConsoleEventBase & Record<string, unknown>;
}

/** Where one console event goes: these rooms, minus the sockets in `except`. */
export interface ConsoleTarget {
  to: string[];
  except: string[];
}

/**
 * The rooms a committed console event goes to: the tenant's room, or, for an event with an
 * audience, the concerned users' rooms and the permission's room minus the excluded roles' rooms
 * (two emits, so an excluded role never hides a concerned user; clients drop the duplicate by eventId).
 */
export function consoleTargets(mapping: ConsoleEventMapping, envelope: EventEnvelope): ConsoleTarget[] {
  const { tenantId } = envelope;
  const audience = mapping.audience;
  if (!audience) return [{ to: [rooms.tenant(tenantId)], except: [] }];
  const targets: ConsoleTarget[] = [];
  const users = concernedUsers(audience, envelope);
  if (users.length) targets.push({ to: users.map((u) => rooms.user(tenantId, u)), except: [] });
  if (audience.permission) targets.push({ to: [rooms.permission(tenantId, audience.permission)], except: (audience.exceptRoles ?? []).map((r) => rooms.role(tenantId, r)) });
  return targets;
}

const concernedUsers = (audience: ConsoleAudience, envelope: EventEnvelope): string[] => [
  ...new Set((audience.users?.(envelope) ?? []).filter((u): u is string => typeof u === 'string' && u.length > 0)),
];

/** Who is asking for a replay: the same facts the gateway's rooms are built from. */
export interface ConsoleViewer {
  userId: string;
  role?: string | null;
  permissions: readonly string[];
}

/** Whether a viewer's console receives this event: the replay's copy of consoleTargets' rule. */
export function mayReceive(mapping: ConsoleEventMapping, envelope: EventEnvelope, viewer: ConsoleViewer): boolean {
  const audience = mapping.audience;
  if (!audience) return true;
  if (concernedUsers(audience, envelope).includes(viewer.userId)) return true;
  if (!audience.permission || !viewer.permissions.includes(audience.permission)) return false;
  return !(viewer.role && (audience.exceptRoles ?? []).includes(viewer.role));
}

/** The console event for a committed outbox event, or null when no context shows it to consoles. */
export function toConsoleEvent(registry: ContextRegistry, envelope: EventEnvelope): ConsoleEvent | null {
  const mapping = registry.consoleMapping(envelope);
  if (!mapping) return null;
  return { event: mapping.name, data: { ...mapping.present(envelope), eventId: envelope.id, occurredAt: envelope.occurredAt, actorId: envelope.actorId } };
}
