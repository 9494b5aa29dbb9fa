import { Injectable } from '@nestjs/common';
import type { TenantTx } from '@switchboard/platform';
import type { EntityManager } from 'typeorm';
import { extendSession, insertSession, listActiveSessions, revokeSessions, revokeUserSessionsEverywhere, type NewSession, type SessionView } from './sessions.sql';

/** Sign-in sessions (SQL in `sessions.sql.ts`). Signing in runs before a tenant is pinned, so `insert` and `extend` take a manager. */
@Injectable()
export class SessionsRepository {
  insert(m: EntityManager, session: NewSession): Promise<void> {
    return insertSession(m, session);
  }

  extend(m: EntityManager, session: Omit<NewSession, 'method' | 'ip' | 'userAgent'>): Promise<void> {
    return extendSession(m, session);
  }

  listActive(tx: TenantTx, userId: string): Promise<SessionView[]> {
    return listActiveSessions(tx.manager, tx.tenantId, userId);
  }

  revokeOne(tx: TenantTx, userId: string, sessionId: string, reason: string): Promise<string[]> {
    return revokeSessions(tx.manager, tx.tenantId, userId, reason, { only: sessionId });
  }

  revokeAllInTenant(tx: TenantTx, userId: string, reason: string): Promise<string[]> {
    return revokeSessions(tx.manager, tx.tenantId, userId, reason);
  }

  /** Run as system: spans the user's tenants. Returns the tenants whose sessions changed. */
  revokeEverywhereExcept(m: EntityManager, userId: string, reason: string, except: string | null): Promise<string[]> {
    return revokeUserSessionsEverywhere(m, userId, reason, except);
  }
}
