import type { AgentPresence, PresenceStatus, TicketViewer } from './console-events';
import type { RedisClient } from '../redis/redis-client';

export interface SocketInfo {
  tenantId: string;
  userId: string;
  name: string;
  status: Exclude<PresenceStatus, 'offline'>;
}

/** Removes a tenant or ticket from the sweep index only when its sets are empty, atomically. */
const FORGET_IF_EMPTY = `if redis.call('ZCARD', KEYS[1]) == 0 and redis.call('ZCARD', KEYS[2]) == 0 then redis.call('SREM', KEYS[3], ARGV[1]) end return 0`;

/**
 * Presence and ticket collision state shared by every api process, keyed per socket in sorted
 * sets scored by expiry. The process holding a socket refreshes its entries on a heartbeat; when
 * the process dies they simply expire, and whichever process sweeps first announces the change.
 */
export class PresenceStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly ttlMs: number,
    private readonly typingTtlMs: number,
  ) {}

  private presenceKey = (t: string) => `${this.prefix}presence:${t}`;
  private infoKey = (t: string) => `${this.prefix}sockets:${t}`;
  private viewersKey = (t: string, k: string) => `${this.prefix}viewers:${t}:${k}`;
  private typingKey = (t: string, k: string) => `${this.prefix}typing:${t}:${k}`;
  private readonly tenantsKey = () => `${this.prefix}tenants`;
  private readonly ticketsKey = () => `${this.prefix}tickets`;

  async connect(socketId: string, info: SocketInfo): Promise<void> {
    await this.redis
      .multi()
      .zadd(this.presenceKey(info.tenantId), Date.now() + this.ttlMs, socketId)
      .hset(this.infoKey(info.tenantId), socketId, JSON.stringify(info))
      .sadd(this.tenantsKey(), info.tenantId)
      .exec();
  }

  async setInfo(socketId: string, info: SocketInfo): Promise<void> {
    await this.redis.hset(this.infoKey(info.tenantId), socketId, JSON.stringify(info));
  }

  async disconnect(socketId: string, tenantId: string, tickets: Iterable<string>): Promise<void> {
    const m = this.redis.multi().zrem(this.presenceKey(tenantId), socketId).hdel(this.infoKey(tenantId), socketId);
    for (const k of tickets) m.zrem(this.viewersKey(tenantId, k), socketId).zrem(this.typingKey(tenantId, k), socketId);
    await m.exec();
  }

  /** One round trip for every socket this process holds. */
  async refresh(sockets: { socketId: string; tenantId: string; tickets: Iterable<string> }[]): Promise<void> {
    if (sockets.length === 0) return;
    const expiry = Date.now() + this.ttlMs;
    const p = this.redis.pipeline();
    for (const s of sockets) {
      p.zadd(this.presenceKey(s.tenantId), 'XX', expiry, s.socketId);
      for (const k of s.tickets) p.zadd(this.viewersKey(s.tenantId, k), 'XX', expiry, s.socketId);
    }
    await p.exec();
  }

  private async liveSockets(tenantId: string): Promise<SocketInfo[]> {
    const ids = await this.redis.zrangebyscore(this.presenceKey(tenantId), Date.now(), '+inf');
    if (ids.length === 0) return [];
    const infos = await this.redis.hmget(this.infoKey(tenantId), ...ids);
    return infos.filter((i): i is string => i !== null).map((i) => JSON.parse(i) as SocketInfo);
  }

  /** Agents with at least one live console: online when any of them is online, away otherwise. */
  async agents(tenantId: string): Promise<AgentPresence[]> {
    const byUser = new Map<string, AgentPresence>();
    for (const s of await this.liveSockets(tenantId)) {
      const entry = byUser.get(s.userId) ?? { userId: s.userId, name: s.name, status: 'away' as PresenceStatus, connections: 0 };
      entry.connections += 1;
      if (s.status === 'online') entry.status = 'online';
      byUser.set(s.userId, entry);
    }
    return [...byUser.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  async agent(tenantId: string, userId: string, name: string): Promise<AgentPresence> {
    return (await this.agents(tenantId)).find((a) => a.userId === userId) ?? { userId, name, status: 'offline', connections: 0 };
  }

  async view(tenantId: string, ticketId: string, socketId: string): Promise<boolean> {
    const [[, added]] = (await this.redis
      .multi()
      .zadd(this.viewersKey(tenantId, ticketId), Date.now() + this.ttlMs, socketId)
      .sadd(this.ticketsKey(), `${tenantId}:${ticketId}`)
      .exec()) as [Error | null, number][];
    return added === 1;
  }

  async leave(tenantId: string, ticketId: string, socketId: string): Promise<void> {
    await this.redis.multi().zrem(this.viewersKey(tenantId, ticketId), socketId).zrem(this.typingKey(tenantId, ticketId), socketId).exec();
  }

  /** Returns whether the typing state of this socket changed (start when not typing, stop when typing). */
  async typing(tenantId: string, ticketId: string, socketId: string, start: boolean): Promise<boolean> {
    const key = this.typingKey(tenantId, ticketId);
    if (start) {
      const now = Date.now();
      const previous = await this.redis.zscore(key, socketId);
      await this.redis.zadd(key, now + this.typingTtlMs, socketId);
      return previous === null || Number(previous) <= now;
    }
    return (await this.redis.zrem(key, socketId)) === 1;
  }

  /** Who views a ticket, one entry per agent (typing when any of their consoles types). */
  async viewers(tenantId: string, ticketId: string): Promise<TicketViewer[]> {
    const now = Date.now();
    const [viewing, typing] = await Promise.all([
      this.redis.zrangebyscore(this.viewersKey(tenantId, ticketId), now, '+inf'),
      this.redis.zrangebyscore(this.typingKey(tenantId, ticketId), now, '+inf'),
    ]);
    if (viewing.length === 0) return [];
    const infos = await this.redis.hmget(this.infoKey(tenantId), ...viewing);
    const typingSockets = new Set(typing);
    const byUser = new Map<string, TicketViewer>();
    viewing.forEach((socketId, i) => {
      const raw = infos[i];
      if (!raw) return;
      const info = JSON.parse(raw) as SocketInfo;
      const entry = byUser.get(info.userId) ?? { userId: info.userId, name: info.name, typing: false };
      if (typingSockets.has(socketId)) entry.typing = true;
      byUser.set(info.userId, entry);
    });
    return [...byUser.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /**
   * Drops expired entries (sockets of a dead process, typing that went quiet). ZREM decides who
   * removed an entry, so exactly one process reports each change.
   */
  async sweep(): Promise<{ users: { tenantId: string; userId: string; name: string }[]; tickets: { tenantId: string; ticketId: string }[] }> {
    const now = Date.now();
    const users: { tenantId: string; userId: string; name: string }[] = [];
    const tickets: { tenantId: string; ticketId: string }[] = [];
    for (const tenantId of await this.redis.smembers(this.tenantsKey())) {
      const expired = await this.redis.zrangebyscore(this.presenceKey(tenantId), '-inf', now);
      for (const socketId of expired) {
        const info = await this.redis.hget(this.infoKey(tenantId), socketId);
        if ((await this.redis.zrem(this.presenceKey(tenantId), socketId)) !== 1) continue;
        await this.redis.hdel(this.infoKey(tenantId), socketId);
        if (info) {
          const parsed = JSON.parse(info) as SocketInfo;
          users.push({ tenantId, userId: parsed.userId, name: parsed.name });
        }
      }
      await this.redis.eval(FORGET_IF_EMPTY, 3, this.presenceKey(tenantId), this.presenceKey(tenantId), this.tenantsKey(), tenantId);
    }
    for (const entry of await this.redis.smembers(this.ticketsKey())) {
      const [tenantId, ticketId] = entry.split(':');
      const removed =
        (await this.redis.zremrangebyscore(this.viewersKey(tenantId, ticketId), '-inf', now)) +
        (await this.redis.zremrangebyscore(this.typingKey(tenantId, ticketId), '-inf', now));
      if (removed > 0) tickets.push({ tenantId, ticketId });
      await this.redis.eval(FORGET_IF_EMPTY, 3, this.viewersKey(tenantId, ticketId), this.typingKey(tenantId, ticketId), this.ticketsKey(), entry);
    }
    return { users, tickets };
  }
}
