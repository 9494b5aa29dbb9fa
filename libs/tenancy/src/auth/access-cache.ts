import { Inject, Injectable } from '@nestjs/common';
import { InvalidationBus, type InvalidatedCache } from '@switchboard/platform';
import type { Role } from '../domain/roles';
import { tenancyConfig, type TenancyConfig } from '../tenancy.context';

/** One topic for everything a credential check reads; its keys are tenant ids. */
const TOPIC = 'tenancy.access';
const MAX_ENTRIES = 10_000;

/** What an access token's check needs: the member's role and the tenant's status. */
export interface MemberAccess {
  role: Role;
  status: string;
}

/** What an API key's check needs: the key's row and its tenant's status. */
/** What a session's check needs: whether it is still on, and when this process last recorded its use (ms; mutable, as for keys). */
export interface SessionAccess {
  lastUsedAt: number;
}

export interface ApiKeyAccess {
  id: string;
  tenantId: string;
  secretHash: string;
  scopes: string[];
  revokedAt: Date | null;
  status: string;
  /**
   * When the key was last recorded as used, as far as this process knows (ms since the epoch):
   * read with the row and raised when this process writes `last_used_at`. Mutable on purpose, so
   * a cached entry does not write again on every request.
   */
  lastUsedAt: number | null;
}

/**
 * The credential checks' per-process cache (ADR 0013): memberships by (tenant, user) and API keys
 * by prefix, each entry kept under its tenant. Every command that changes what these hold calls
 * `changed(tenantId)` after its commit, which drops all of that tenant's entries here and on every
 * other process.
 */
@Injectable()
export class AccessCache {
  readonly members: InvalidatedCache<MemberAccess | null>;
  readonly apiKeys: InvalidatedCache<ApiKeyAccess | null>;
  /** Active sessions by (tenant, session); a revoked one is never cached. */
  readonly sessions: InvalidatedCache<SessionAccess | null>;

  constructor(
    private readonly bus: InvalidationBus,
    @Inject(tenancyConfig.token) config: TenancyConfig,
  ) {
    const ttlMs = config.AUTH_ACCESS_CACHE_TTL_MS;
    // A role or key change must apply at once on every process, also when the request that meets
    // the stale entry was read in the same event-loop turn as the invalidation: let that turn's
    // I/O run before serving a hit (one turn per hit).
    this.members = bus.cache(TOPIC, { name: 'tenancy.members', ttlMs, maxEntries: MAX_ENTRIES, settleBeforeHit: true });
    this.apiKeys = bus.cache(TOPIC, { name: 'tenancy.api_keys', ttlMs, maxEntries: MAX_ENTRIES, settleBeforeHit: true });
    this.sessions = bus.cache(TOPIC, { name: 'tenancy.sessions', ttlMs, maxEntries: MAX_ENTRIES, settleBeforeHit: true });
  }

  /** `listener(tenantId)` after any change to what these caches hold, here or on another process. */
  onChanged(listener: (tenantId: string) => void): void {
    this.bus.onInvalidate(TOPIC, listener);
  }

  /** After a committed change to a tenant's memberships, sessions, API keys or status; never throws. */
  changed(tenantId: string): Promise<void> {
    return this.bus.publish(TOPIC, tenantId);
  }
}
