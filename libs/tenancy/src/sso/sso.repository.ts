import { Injectable } from '@nestjs/common';
import type { TenantTx } from '@switchboard/platform';
import type { EntityManager } from 'typeorm';
import {
  consumeLoginCode,
  consumeRequest,
  deleteConnection,
  findConnection,
  findConnectionByDomain,
  findConnectionBySlug,
  insertLoginCode,
  insertRequest,
  replaceDomains,
  recordSamlAssertion,
  upsertConnection,
  type ConnectionWrite,
  type NewRequest,
  type SsoProtocol,
  type PendingRequest,
  type SsoConnection,
} from './sso.sql';

/**
 * Single sign-on settings and sign-in state (SQL in `sso.sql.ts`). Sign-in starts and ends before
 * a tenant is known, so those methods take the system transaction's EntityManager.
 */
@Injectable()
export class SsoRepository {
  find(tx: TenantTx, lock = false): Promise<SsoConnection | undefined> {
    return findConnection(tx.manager, tx.tenantId, lock);
  }

  async save(tx: TenantTx, write: ConnectionWrite, domains: string[]): Promise<void> {
    await upsertConnection(tx.manager, tx.tenantId, write);
    await replaceDomains(tx.manager, tx.tenantId, domains);
  }

  remove(tx: TenantTx): Promise<void> {
    return deleteConnection(tx.manager, tx.tenantId);
  }

  findForTenant(m: EntityManager, tenantId: string): Promise<SsoConnection | undefined> {
    return findConnection(m, tenantId);
  }

  findBySlug(m: EntityManager, slug: string): Promise<SsoConnection | undefined> {
    return findConnectionBySlug(m, slug);
  }

  findByDomain(m: EntityManager, domain: string): Promise<SsoConnection | undefined> {
    return findConnectionByDomain(m, domain);
  }

  startRequest(tx: TenantTx, request: NewRequest): Promise<void> {
    return insertRequest(tx.manager, tx.tenantId, request);
  }

  consumeRequest(m: EntityManager, protocol: SsoProtocol, stateHash: string): Promise<PendingRequest | undefined> {
    return consumeRequest(m, protocol, stateHash);
  }

  /** False when this assertion was used before. */
  recordSamlAssertion(tx: TenantTx, assertionId: string, expiresAt: Date): Promise<boolean> {
    return recordSamlAssertion(tx.manager, tx.tenantId, assertionId, expiresAt);
  }

  issueLoginCode(tx: TenantTx, codeHash: string, userId: string): Promise<void> {
    return insertLoginCode(tx.manager, tx.tenantId, codeHash, userId);
  }

  consumeLoginCode(m: EntityManager, codeHash: string): Promise<{ tenantId: string; userId: string } | undefined> {
    return consumeLoginCode(m, codeHash);
  }
}
