import { Injectable } from '@nestjs/common';
import type { TenantTx } from '@switchboard/platform';
import type { EntityManager } from 'typeorm';
import {
  findRefreshTokenForUpdate,
  insertRefreshToken,
  markRefreshTokenRotated,
  revokeRefreshTokenFamily,
  revokeRefreshTokenFamilyOf,
  revokeRefreshTokensOfUser,
  type NewRefreshToken,
  type PresentedRefreshToken,
} from './refresh-tokens.sql';

/**
 * Refresh tokens, stored hashed (SQL in `refresh-tokens.sql.ts`). Signing in, refreshing and
 * signing out run before a tenant is known, so those methods take the system transaction's
 * EntityManager.
 */
@Injectable()
export class RefreshTokensRepository {
  insert(m: EntityManager, token: NewRefreshToken): Promise<void> {
    return insertRefreshToken(m, token);
  }

  findForUpdate(m: EntityManager, tokenHash: string): Promise<PresentedRefreshToken | undefined> {
    return findRefreshTokenForUpdate(m, tokenHash);
  }

  markRotated(m: EntityManager, token: Pick<PresentedRefreshToken, 'tenantId' | 'id'>): Promise<void> {
    return markRefreshTokenRotated(m, token.tenantId, token.id);
  }

  revokeFamily(m: EntityManager, token: Pick<PresentedRefreshToken, 'tenantId' | 'familyId'>): Promise<void> {
    return revokeRefreshTokenFamily(m, token.tenantId, token.familyId);
  }

  /** Revokes the sign-in this token belongs to; nothing when it is unknown. */
  revokeFamilyOf(m: EntityManager, tokenHash: string): Promise<void> {
    return revokeRefreshTokenFamilyOf(m, tokenHash);
  }

  revokeAllOfUser(tx: TenantTx, userId: string): Promise<void> {
    return revokeRefreshTokensOfUser(tx.manager, tx.tenantId, userId);
  }
}
