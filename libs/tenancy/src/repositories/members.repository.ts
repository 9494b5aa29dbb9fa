import { Injectable } from '@nestjs/common';
import type { TenantTx } from '@switchboard/platform';
import type { EntityManager } from 'typeorm';
import type { Role } from '../domain/roles';
import {
  activeTenantsOfUser,
  changeMemberRole,
  countOwners,
  deleteMember,
  findImpersonationTarget,
  findMember,
  insertMember,
  insertMemberIfAbsent,
  isMemberByEmail,
  listMembers,
  memberRole,
  memberUserIds,
  type ImpersonationTarget,
  type MemberView,
  type UserTenant,
} from './members.sql';

/** Memberships (a user's role in a tenant); SQL in `members.sql.ts`. TenantTx methods act on the transaction's tenant. */
@Injectable()
export class MembersRepository {
  /** Locked for the rest of the transaction. */
  findForUpdate(tx: TenantTx, membershipId: string): Promise<MemberView | undefined> {
    return findMember(tx.manager, tx.tenantId, membershipId, true);
  }

  list(tx: TenantTx): Promise<MemberView[]> {
    return listMembers(tx.manager, tx.tenantId);
  }

  countOwners(tx: TenantTx): Promise<number> {
    return countOwners(tx.manager, tx.tenantId);
  }

  roleOf(tx: TenantTx, userId: string): Promise<Role | undefined> {
    return memberRole(tx.manager, tx.tenantId, userId);
  }

  hasEmail(tx: TenantTx, email: string): Promise<boolean> {
    return isMemberByEmail(tx.manager, tx.tenantId, email);
  }

  add(tx: TenantTx, membershipId: string, userId: string, role: Role): Promise<void> {
    return insertMember(tx.manager, tx.tenantId, membershipId, userId, role);
  }

  /** The new membership's id, or undefined when the user is a member already (keeping their role). */
  addIfAbsent(tx: TenantTx, userId: string, role: Role): Promise<string | undefined> {
    return insertMemberIfAbsent(tx.manager, tx.tenantId, userId, role);
  }

  changeRole(tx: TenantTx, membershipId: string, role: Role): Promise<void> {
    return changeMemberRole(tx.manager, tx.tenantId, membershipId, role);
  }

  remove(tx: TenantTx, membershipId: string): Promise<void> {
    return deleteMember(tx.manager, tx.tenantId, membershipId);
  }

  findImpersonationTarget(tx: TenantTx, userId: string): Promise<ImpersonationTarget | undefined> {
    return findImpersonationTarget(tx.manager, tx.tenantId, userId);
  }

  /** System work: the active tenants a user may sign in to. */
  activeTenantsOf(m: EntityManager, userId: string): Promise<UserTenant[]> {
    return activeTenantsOfUser(m, userId);
  }

  /** System work: the users of a tenant (for the purge). */
  userIds(m: EntityManager, tenantId: string): Promise<string[]> {
    return memberUserIds(m, tenantId);
  }
}
