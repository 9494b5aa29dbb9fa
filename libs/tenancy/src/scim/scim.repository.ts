import { Injectable } from '@nestjs/common';
import type { TenantTx } from '@switchboard/platform';
import type { EntityManager } from 'typeorm';
import type { Role } from '../domain/roles';
import {
  defaultProvisioningRole,
  deleteScimUser,
  findActiveScimToken,
  findScimTokenByPrefix,
  findScimUser,
  insertScimToken,
  insertScimUser,
  listScimUsers,
  membershipOf,
  revokeApiKeysCreatedBy,
  revokeScimTokens,
  scimUserExists,
  touchScimToken,
  updateScimUser,
  type ScimTokenCredential,
  type ScimTokenView,
  type ScimUserFields,
  type ScimUserRecord,
} from './scim.sql';

/** SCIM tokens and provisioned users (SQL in `scim.sql.ts`); TenantTx methods act on the transaction's tenant. */
@Injectable()
export class ScimRepository {
  issueToken(tx: TenantTx, token: { prefix: string; secretHash: string; createdBy: string | null }): Promise<ScimTokenView> {
    return insertScimToken(tx.manager, tx.tenantId, token);
  }

  activeToken(tx: TenantTx, lock = false): Promise<ScimTokenView | undefined> {
    return findActiveScimToken(tx.manager, tx.tenantId, lock);
  }

  revokeTokens(tx: TenantTx): Promise<void> {
    return revokeScimTokens(tx.manager, tx.tenantId);
  }

  /** System work: the token is the credential. */
  tokenByPrefix(m: Pick<EntityManager, 'query'>, prefix: string): Promise<ScimTokenCredential | undefined> {
    return findScimTokenByPrefix(m, prefix);
  }

  touchToken(m: Pick<EntityManager, 'query'>, tenantId: string, id: string): Promise<void> {
    return touchScimToken(m, tenantId, id);
  }

  insertUser(tx: TenantTx, userId: string, fields: ScimUserFields): Promise<ScimUserRecord> {
    return insertScimUser(tx.manager, tx.tenantId, userId, fields);
  }

  findUser(tx: TenantTx, id: string, lock = false): Promise<ScimUserRecord | undefined> {
    return findScimUser(tx.manager, tx.tenantId, id, lock);
  }

  exists(tx: TenantTx, where: { userName: string } | { userId: string }): Promise<boolean> {
    return scimUserExists(tx.manager, tx.tenantId, where);
  }

  listUsers(tx: TenantTx): Promise<ScimUserRecord[]> {
    return listScimUsers(tx.manager, tx.tenantId);
  }

  updateUser(tx: TenantTx, id: string, fields: ScimUserFields): Promise<ScimUserRecord> {
    return updateScimUser(tx.manager, tx.tenantId, id, fields);
  }

  deleteUser(tx: TenantTx, id: string): Promise<void> {
    return deleteScimUser(tx.manager, tx.tenantId, id);
  }

  revokeApiKeysCreatedBy(tx: TenantTx, userId: string): Promise<string[]> {
    return revokeApiKeysCreatedBy(tx.manager, tx.tenantId, userId);
  }

  /** Locked for the rest of the transaction. */
  membershipOf(tx: TenantTx, userId: string): Promise<{ id: string; role: string } | undefined> {
    return membershipOf(tx.manager, tx.tenantId, userId);
  }

  /** The role new members get: the SSO connection's default, else viewer (least privilege). */
  async provisioningRole(tx: TenantTx): Promise<Exclude<Role, 'owner'>> {
    return ((await defaultProvisioningRole(tx.manager, tx.tenantId)) as Exclude<Role, 'owner'> | undefined) ?? 'viewer';
  }
}
