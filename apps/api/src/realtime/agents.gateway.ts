import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { EventBus, QueryBus } from '@nestjs/cqrs';
import { WebSocketGateway, WebSocketServer, type OnGatewayConnection, type OnGatewayDisconnect, type OnGatewayInit } from '@nestjs/websockets';
import {
  AgentPresenceChanged,
  AGENTS_NAMESPACE,
  APP_CONFIG,
  AUTHENTICATOR,
  ContextRegistry,
  Metrics,
  PresenceStore,
  presencePrefix,
  ProblemException,
  REDIS,
  ReplayConsoleEventsQuery,
  rooms,
  type Ack,
  type AppConfig,
  type Authenticator,
  type ClientToServerEvents,
  type ConsoleEvent,
  type ConsolePublisher,
  type Principal,
  type ServerToClientEvents,
  type SessionEndReason,
} from '@switchboard/platform';
import { GetMeQuery } from '@switchboard/tenancy';
import { GetTicketQuery } from '@switchboard/tickets';
import type { RedisClient } from '@switchboard/platform';
import type { Namespace, Socket } from 'socket.io';
import { z } from 'zod';
import { HandshakeBudget } from './handshake-budget';
import { clientEventSchemas, tokenExpiry, TokenBucket, type ClientEventName } from './socket-rules';

type AgentSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

interface SocketData {
  principal: Principal;
  token: string;
  expiresAt: number | null;
}

/** What this process keeps about each socket it holds. */
interface LocalSocket {
  socket: AgentSocket;
  tenantId: string;
  userId: string;
  name: string;
  status: 'online' | 'away';
  tickets: Set<string>;
  typingAcceptedAt: Map<string, number>;
  bucket: TokenBucket;
  strikes: number;
  lastAuthAt: number;
  expiryTimer?: NodeJS.Timeout;
}

type ProblemShape = { status: number; type: string; detail: string };

const MAX_STRIKES = 10;
const TYPING_THROTTLE_MS = 1_000;

const problemOf = (error: unknown): ProblemShape | null =>
  error instanceof ProblemException ? { status: error.problem.status, type: error.problem.type, detail: error.problem.detail } : null;

/**
 * The agent console's socket endpoint (`/agents`): the same credentials as REST at the handshake,
 * rooms per tenant, user and ticket, presence and collision state in Redis, per-socket limits.
 * Ticket events are pushed by PushCommittedEventsToConsoles through `publish`.
 */
@Injectable()
@WebSocketGateway({ namespace: AGENTS_NAMESPACE })
export class AgentsGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect, ConsolePublisher, BeforeApplicationShutdown {
  @WebSocketServer() private nsp!: Namespace<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

  private readonly logger = new Logger('AgentsGateway');
  private readonly local = new Map<string, LocalSocket>();
  private readonly store: PresenceStore;
  private readonly handshakes: HandshakeBudget;
  private heartbeat?: NodeJS.Timeout;
  private authenticator?: Authenticator;
  private ticking = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(REDIS) redis: RedisClient,
    private readonly queries: QueryBus,
    private readonly moduleRef: ModuleRef,
    private readonly metrics: Metrics,
    private readonly registry: ContextRegistry,
    private readonly events: EventBus,
  ) {
    this.store = new PresenceStore(redis, presencePrefix(config), config.REALTIME_PRESENCE_TTL_MS, config.REALTIME_TYPING_TTL_MS);
    this.handshakes = new HandshakeBudget(redis, `${config.QUEUE_PREFIX}:rt:handshakes`, config.REALTIME_HANDSHAKES_PER_MINUTE, config.TRUST_PROXY);
  }

  publish<E extends keyof ServerToClientEvents>(to: string[], event: E, payload: Parameters<ServerToClientEvents[E]>[0]): void {
    // Before the gateway is initialised there is nobody to tell; the replay endpoint covers it.
    if (!this.nsp) return;
    (this.nsp.to(to) as unknown as { emit(e: string, p: unknown): void }).emit(event, payload);
  }

  publishEvent(to: string[], message: ConsoleEvent, except: string[] = []): void {
    if (!this.nsp) return;
    (this.nsp.to(to).except(except) as unknown as { emit(e: string, p: unknown): void }).emit(message.event, message.data);
  }

  private auth(): Authenticator {
    this.authenticator ??= this.moduleRef.get<Authenticator>(AUTHENTICATOR, { strict: false });
    return this.authenticator;
  }

  afterInit(nsp: Namespace): void {
    nsp.use((socket, next) => {
      this.admit(socket as AgentSocket)
        .then(() => next())
        .catch((error: unknown) => {
          const problem = problemOf(error) ?? { status: 503, type: 'unavailable', detail: 'The server could not check the credential; try again shortly.' };
          if (!problemOf(error)) this.logger.error({ err: error }, 'Socket authentication failed unexpectedly');
          const extensions = error instanceof ProblemException ? error.problem.extensions : undefined;
          this.metrics.handshakesRefused.inc({ reason: problem.type });
          next(Object.assign(new Error(problem.detail), { data: { ...problem, ...extensions } }));
        });
    });
    // A revoked session, removed member or suspended tenant closes that tenant's sockets at once,
    // whichever process made the change; the heartbeat's periodic re-check stays the safety net.
    try {
      this.auth().onCredentialsChanged?.((tenantId) => void this.recheckTenant(tenantId));
    } catch (error) {
      this.logger.warn({ err: error }, 'Cannot listen for credential changes; sockets are re-checked on the heartbeat only');
    }
    const every = Math.max(250, Math.floor(this.config.REALTIME_PRESENCE_TTL_MS / 3));
    this.heartbeat = setInterval(() => void this.tick(), every);
    this.heartbeat.unref();
  }

  /** The client IP's handshake budget first (it is what a flood spends), then the credential. */
  private async admit(socket: AgentSocket): Promise<void> {
    const verdict = await this.handshakes.take(this.handshakes.clientIp(socket.request));
    if (!verdict.allowed) {
      throw new ProblemException({
        status: 429,
        type: 'rate-limited',
        title: 'Too Many Requests',
        detail: `More than ${this.config.REALTIME_HANDSHAKES_PER_MINUTE} console connections per minute from this address; retry in ${verdict.retryAfterS} s.`,
        extensions: { retryAfter: verdict.retryAfterS },
      });
    }
    await this.authenticate(socket);
  }

  private async authenticate(socket: AgentSocket): Promise<void> {
    const token: unknown = socket.handshake.auth?.token;
    if (typeof token !== 'string' || token.length === 0 || token.length > 4096) {
      throw new ProblemException({ status: 401, type: 'unauthorized', title: 'Unauthorized', detail: 'Connect with { auth: { token: "<access token or API key>" } }.' });
    }
    const principal = await this.auth().authenticate(token.replace(/^Bearer\s+/i, ''));
    if (!principal.tenantId || !principal.permissions?.includes('tickets:read')) {
      throw new ProblemException({ status: 403, type: 'forbidden', title: 'Forbidden', detail: 'The agent console needs the "tickets:read" permission.' });
    }
    socket.data.principal = principal;
    socket.data.token = token;
    socket.data.expiresAt = tokenExpiry(token);
  }

  async handleConnection(raw: Socket): Promise<void> {
    const socket = raw as AgentSocket;
    const { principal } = socket.data;
    if (!principal) return void socket.disconnect(true);
    const tenantId = principal.tenantId!;
    const entry: LocalSocket = {
      socket,
      tenantId,
      userId: principal.id,
      name: principal.kind === 'api-key' ? 'API key' : 'Agent',
      status: 'online',
      tickets: new Set(),
      typingAcceptedAt: new Map(),
      bucket: new TokenBucket(this.config.REALTIME_EVENT_BURST, this.config.REALTIME_EVENTS_PER_SECOND),
      strikes: 0,
      lastAuthAt: Date.now(),
    };
    this.local.set(socket.id, entry);
    this.metrics.consoleSockets.inc();
    socket.use(([event, ...args], next) => this.screen(entry, String(event), args, next));
    this.bindHandlers(entry);
    this.scheduleExpiry(entry);
    try {
      const me = await this.queries.execute(new GetMeQuery(principal));
      entry.name = me.user?.name ?? (me.apiKey ? `API key "${me.apiKey.name}"` : entry.name);
      await socket.join([rooms.tenant(tenantId), rooms.user(tenantId, principal.id), ...this.audienceRooms(principal)]);
      await this.store.connect(socket.id, this.info(entry));
      const [agents, latest] = await Promise.all([this.store.agents(tenantId), this.queries.execute(new ReplayConsoleEventsQuery(tenantId, null, 1))]);
      if (!socket.connected) return;
      socket.emit('session.ready', {
        socketId: socket.id,
        user: { id: principal.id, name: entry.name, kind: principal.kind === 'api-key' ? 'api-key' : 'user', role: principal.role ?? null },
        tenantId,
        agents,
        lastEventId: latest.lastEventId,
        limits: {
          maxPayloadBytes: this.config.REALTIME_MAX_PAYLOAD_BYTES,
          eventsPerSecond: this.config.REALTIME_EVENTS_PER_SECOND,
          burst: this.config.REALTIME_EVENT_BURST,
          maxTicketRooms: this.config.REALTIME_MAX_TICKET_ROOMS,
        },
      });
      await this.announcePresence(tenantId, principal.id, entry.name);
    } catch (error) {
      this.logger.error({ err: error }, 'Could not set up a console socket');
      socket.disconnect(true);
    }
  }

  async handleDisconnect(raw: Socket): Promise<void> {
    const entry = this.local.get(raw.id);
    if (!entry) return;
    this.local.delete(raw.id);
    this.metrics.consoleSockets.dec();
    clearTimeout(entry.expiryTimer);
    try {
      await this.store.disconnect(raw.id, entry.tenantId, entry.tickets);
      for (const ticketId of entry.tickets) await this.announceCollision(entry.tenantId, ticketId);
      await this.announcePresence(entry.tenantId, entry.userId, entry.name);
    } catch (error) {
      this.logger.warn({ err: error }, 'Could not clear a closed socket’s presence; it expires on its own');
    }
  }

  /** Size, rate and shape limits before any handler runs; persistent offenders are disconnected with a reason. */
  private screen(entry: LocalSocket, event: string, args: unknown[], next: (err?: Error) => void): void {
    const ack = typeof args.at(-1) === 'function' ? (args.at(-1) as (r: Ack) => void) : undefined;
    let size: number;
    try {
      size = Buffer.byteLength(JSON.stringify(typeof args.at(-1) === 'function' ? args.slice(0, -1) : args) ?? '');
    } catch {
      size = Infinity;
    }
    if (size > this.config.REALTIME_MAX_PAYLOAD_BYTES) {
      return this.close(entry, 'payload-too-large', `Events may carry at most ${this.config.REALTIME_MAX_PAYLOAD_BYTES} bytes; this one had ${size}.`);
    }
    if (!entry.bucket.take()) {
      return this.close(entry, 'rate-limited', `At most ${this.config.REALTIME_EVENTS_PER_SECOND} events per second (bursts of ${this.config.REALTIME_EVENT_BURST}) per connection.`);
    }
    if (!(event in clientEventSchemas)) {
      this.strike(entry, ack, { status: 404, type: 'unknown-event', detail: `Unknown event "${String(event).slice(0, 64)}"; see docs/realtime.md.` });
      return;
    }
    next();
  }

  private strike(entry: LocalSocket, ack: ((r: Ack) => void) | undefined, error: ProblemShape): void {
    entry.strikes += 1;
    ack?.({ ok: false, error });
    if (entry.strikes >= MAX_STRIKES) this.close(entry, 'malformed-payloads', `${MAX_STRIKES} malformed or unknown events; fix the client and reconnect.`);
  }

  private close(entry: LocalSocket, reason: SessionEndReason, detail: string, event: 'session.closing' | 'session.expired' = 'session.closing'): void {
    if (!entry.socket.connected) return;
    this.metrics.consoleClosed.inc({ reason });
    entry.socket.emit(event, { reason, detail });
    entry.socket.disconnect(true);
  }

  private bindHandlers(entry: LocalSocket): void {
    const on = <E extends ClientEventName>(event: E, handle: (payload: z.output<(typeof clientEventSchemas)[E]>) => Promise<Record<string, unknown>>) => {
      entry.socket.on(event, (async (...args: unknown[]) => {
        const ack = typeof args.at(-1) === 'function' ? (args.pop() as (r: unknown) => void) : () => undefined;
        const parsed = clientEventSchemas[event].safeParse(args[0]);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          return this.strike(entry, ack, { status: 400, type: 'validation-failed', detail: `${event}: ${issue?.path.join('.') || 'payload'} ${issue?.message ?? 'is invalid'}` });
        }
        try {
          ack({ ok: true, ...(await handle(parsed.data as never)) });
        } catch (error) {
          const problem = problemOf(error);
          if (!problem) this.logger.error({ err: error, event }, 'Console event failed');
          ack({ ok: false, error: problem ?? { status: 503, type: 'unavailable', detail: 'The server could not handle this event right now; try again.' } });
        }
      }) as never);
    };

    on('ticket.viewing', async ({ ticketId }) => {
      if (!entry.tickets.has(ticketId) && entry.tickets.size >= this.config.REALTIME_MAX_TICKET_ROOMS) {
        throw new ProblemException({
          status: 429,
          type: 'too-many-rooms',
          title: 'Too Many Requests',
          detail: `A connection may view at most ${this.config.REALTIME_MAX_TICKET_ROOMS} tickets at once; send ticket.left for the ones you closed.`,
        });
      }
      // The same check as GET /v1/tickets/{id}: another tenant's ticket is "not found", like a missing one.
      await this.queries.execute(new GetTicketQuery(entry.tenantId, ticketId));
      if (!entry.socket.connected) return {};
      entry.tickets.add(ticketId);
      await entry.socket.join(rooms.ticket(entry.tenantId, ticketId));
      const added = await this.store.view(entry.tenantId, ticketId, entry.socket.id);
      const viewers = await this.store.viewers(entry.tenantId, ticketId);
      if (added) this.emitCollision(entry.tenantId, ticketId, viewers);
      return { viewers };
    });

    on('ticket.left', async ({ ticketId }) => {
      if (!entry.tickets.delete(ticketId)) return {};
      entry.typingAcceptedAt.delete(ticketId);
      await entry.socket.leave(rooms.ticket(entry.tenantId, ticketId));
      await this.store.leave(entry.tenantId, ticketId, entry.socket.id);
      await this.announceCollision(entry.tenantId, ticketId);
      return {};
    });

    on('ticket.typing', async ({ ticketId, state }) => {
      if (!entry.tickets.has(ticketId)) {
        throw new ProblemException({ status: 409, type: 'not-viewing', title: 'Conflict', detail: `Send ticket.viewing for ${ticketId} before typing on it.` });
      }
      if (state === 'start') {
        const last = entry.typingAcceptedAt.get(ticketId) ?? 0;
        if (Date.now() - last < TYPING_THROTTLE_MS) return { throttled: true };
        entry.typingAcceptedAt.set(ticketId, Date.now());
      } else entry.typingAcceptedAt.delete(ticketId);
      if (await this.store.typing(entry.tenantId, ticketId, entry.socket.id, state === 'start')) await this.announceCollision(entry.tenantId, ticketId);
      return {};
    });

    on('presence.set', async ({ status }) => {
      if (entry.status === status) return {};
      entry.status = status;
      await this.store.setInfo(entry.socket.id, this.info(entry));
      await this.announcePresence(entry.tenantId, entry.userId, entry.name);
      return {};
    });

    on('session.renew', async ({ token }) => {
      const principal = await this.auth().authenticate(token.replace(/^Bearer\s+/i, ''));
      const current = entry.socket.data.principal;
      if (principal.tenantId !== current.tenantId || principal.id !== current.id || principal.kind !== current.kind) {
        throw new ProblemException({ status: 403, type: 'different-principal', title: 'Forbidden', detail: 'A renewed token must name the same user and tenant; reconnect to switch.' });
      }
      entry.socket.data.principal = principal;
      await this.refreshAudienceRooms(entry, principal);
      entry.socket.data.token = token;
      entry.socket.data.expiresAt = tokenExpiry(token);
      entry.lastAuthAt = Date.now();
      this.scheduleExpiry(entry);
      const expiresAt = entry.socket.data.expiresAt;
      return { expiresAt: expiresAt ? new Date(expiresAt).toISOString() : null };
    });
  }

  /** The rooms of the console audiences this credential belongs to: the permissions audiences name that it holds, and its role. */
  private audienceRooms(principal: Principal): string[] {
    const tenantId = principal.tenantId!;
    const held = this.registry.consolePermissions.filter((p) => principal.permissions?.includes(p)).map((p) => rooms.permission(tenantId, p));
    return principal.role ? [...held, rooms.role(tenantId, principal.role)] : held;
  }

  /** A renewed or re-checked credential may have another role or permissions now: move the socket's audience rooms along. */
  private async refreshAudienceRooms(entry: LocalSocket, principal: Principal): Promise<void> {
    const next = new Set(this.audienceRooms(principal));
    const stale = [...entry.socket.rooms].filter((r) => (r.startsWith('perm:') || r.startsWith('role:')) && !next.has(r));
    for (const room of stale) await entry.socket.leave(room);
    await entry.socket.join([...next]);
  }

  private scheduleExpiry(entry: LocalSocket): void {
    clearTimeout(entry.expiryTimer);
    const expiresAt = entry.socket.data.expiresAt;
    if (!expiresAt) return;
    // setTimeout cannot wait longer than ~24.8 days; access tokens live minutes.
    const delay = Math.min(Math.max(0, expiresAt - Date.now()), 2_000_000_000);
    entry.expiryTimer = setTimeout(() => this.close(entry, 'token-expired', 'The access token expired; refresh it and reconnect (or send session.renew before it expires).', 'session.expired'), delay);
    entry.expiryTimer.unref();
  }

  private info(entry: LocalSocket) {
    return { tenantId: entry.tenantId, userId: entry.userId, name: entry.name, status: entry.status };
  }

  private async announcePresence(tenantId: string, userId: string, name: string): Promise<void> {
    const presence = await this.store.agent(tenantId, userId, name);
    this.publish([rooms.tenant(tenantId)], 'presence.changed', { ...presence, tenantId, at: new Date().toISOString() });
    // For in-process rules that follow presence (a group's assignment policy hands waiting tickets to an agent who comes online).
    this.events.publish(new AgentPresenceChanged(tenantId, userId, presence.status));
  }

  private async announceCollision(tenantId: string, ticketId: string): Promise<void> {
    this.emitCollision(tenantId, ticketId, await this.store.viewers(tenantId, ticketId));
  }

  private emitCollision(tenantId: string, ticketId: string, viewers: Awaited<ReturnType<PresenceStore['viewers']>>): void {
    this.publish([rooms.ticket(tenantId, ticketId)], 'ticket.collision', { ticketId, viewers, at: new Date().toISOString() });
  }

  /** Heartbeat: refresh this process's entries, sweep everyone's expired ones, re-check credentials now and then. */
  private async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      await this.store.refresh([...this.local.values()].map((e) => ({ socketId: e.socket.id, tenantId: e.tenantId, tickets: e.tickets })));
      const { users, tickets } = await this.store.sweep();
      for (const u of users) await this.announcePresence(u.tenantId, u.userId, u.name);
      for (const t of tickets) await this.announceCollision(t.tenantId, t.ticketId);
      const due = [...this.local.values()].filter((e) => Date.now() - e.lastAuthAt >= this.config.REALTIME_REAUTH_INTERVAL_MS);
      for (const entry of due) await this.recheck(entry);
    } catch (error) {
      this.logger.warn({ err: error }, 'Presence heartbeat failed; retrying on the next beat');
    } finally {
      this.ticking = false;
    }
  }

  /** Re-checks a socket's credential; a refused one (401/403) is closed with `credential-revoked`. */
  private async recheck(entry: LocalSocket): Promise<void> {
    entry.lastAuthAt = Date.now();
    try {
      const principal = await this.auth().authenticate(entry.socket.data.token.replace(/^Bearer\s+/i, ''));
      entry.socket.data.principal = principal;
      await this.refreshAudienceRooms(entry, principal);
    } catch (error) {
      const problem = problemOf(error);
      if (problem && (problem.status === 401 || problem.status === 403)) this.close(entry, 'credential-revoked', problem.detail, 'session.expired');
    }
  }

  private async recheckTenant(tenantId: string): Promise<void> {
    for (const entry of [...this.local.values()]) {
      if (entry.tenantId === tenantId) await this.recheck(entry).catch((error: unknown) => this.logger.warn({ err: error }, 'Re-checking a socket failed'));
    }
  }

  /**
   * Called before the HTTP server drains: open websockets would hold it forever. Clients
   * reconnect to another process and catch up by replay.
   */
  async disconnectAll(): Promise<void> {
    clearInterval(this.heartbeat);
    for (const entry of [...this.local.values()]) {
      await this.handleDisconnect(entry.socket);
      this.close(entry, 'server-shutdown', 'This server is restarting; reconnect.');
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.disconnectAll();
  }
}
