import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import * as sql from './two-factor.sql';
import type { FactorSummary, StoredTotp, WebAuthnCredentialRow } from './two-factor.sql';

/**
 * A user's second factors and recovery codes (SQL in `two-factor.sql.ts`), and the tenant's
 * requirement. Methods take the transaction's manager: tenant transactions see a user's factors
 * only while the user is a member there (RLS), and the sign-in steps run them in the chosen tenant.
 */
@Injectable()
export class TwoFactorRepository {
  summary(m: EntityManager, userId: string): Promise<FactorSummary> {
    return sql.factorSummary(m, userId);
  }

  findTotp(m: EntityManager, userId: string, lock = false): Promise<StoredTotp | undefined> {
    return sql.findTotp(m, userId, lock);
  }

  savePendingTotp(m: EntityManager, userId: string, sealed: { keyId: string; blob: Buffer }): Promise<boolean> {
    return sql.upsertPendingTotp(m, userId, sealed.keyId, sealed.blob);
  }

  confirmTotp(m: EntityManager, userId: string, timeStep: number): Promise<void> {
    return sql.confirmTotp(m, userId, timeStep);
  }

  recordTotpStep(m: EntityManager, userId: string, timeStep: number): Promise<boolean> {
    return sql.recordTotpStep(m, userId, timeStep);
  }

  replaceRecoveryCodes(m: EntityManager, userId: string, hashes: string[]): Promise<void> {
    return sql.replaceRecoveryCodes(m, userId, hashes);
  }

  useRecoveryCode(m: EntityManager, userId: string, hash: string): Promise<boolean> {
    return sql.useRecoveryCode(m, userId, hash);
  }

  credentials(m: EntityManager, userId: string): Promise<WebAuthnCredentialRow[]> {
    return sql.listWebAuthnCredentials(m, userId);
  }

  addCredential(m: EntityManager, c: Parameters<typeof sql.insertWebAuthnCredential>[1]): Promise<WebAuthnCredentialRow | undefined> {
    return sql.insertWebAuthnCredential(m, c);
  }

  recordCredentialUse(m: EntityManager, userId: string, id: string, counter: number): Promise<void> {
    return sql.recordWebAuthnUse(m, userId, id, counter);
  }

  removeCredential(m: EntityManager, userId: string, id: string): Promise<WebAuthnCredentialRow | undefined> {
    return sql.deleteWebAuthnCredential(m, userId, id);
  }

  removeAll(m: EntityManager, userId: string): Promise<void> {
    return sql.deleteAllFactors(m, userId);
  }

  tenantRequires(m: EntityManager, tenantId: string): Promise<boolean> {
    return sql.tenantRequiresTwoFactor(m, tenantId);
  }

  setTenantRequires(m: EntityManager, tenantId: string, required: boolean): Promise<boolean> {
    return sql.setTenantRequiresTwoFactor(m, tenantId, required);
  }
}
