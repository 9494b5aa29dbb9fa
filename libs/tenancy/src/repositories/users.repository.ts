import { Injectable } from '@nestjs/common';
import type { TenantTx } from '@switchboard/platform';
import type { EntityManager } from 'typeorm';
import { deleteUsersWithoutTenant, findUserAccount, findUserCredentials, insertUser, setUserPassword, upsertUser, type NewUser, type UserAccount, type UserCredentials } from './users.sql';

/** Users span tenants: the TenantTx methods are for privileged transactions (RLS would hide other tenants' users). */
@Injectable()
export class UsersRepository {
  /** The user's id: found by email, or created. An existing user keeps their name and password. */
  upsert(tx: TenantTx, user: NewUser): Promise<string> {
    return upsertUser(tx.manager, user);
  }

  insert(tx: TenantTx, id: string, user: NewUser): Promise<void> {
    return insertUser(tx.manager, id, user);
  }

  findCredentials(m: EntityManager, email: string): Promise<UserCredentials | undefined> {
    return findUserCredentials(m, email);
  }

  deleteWithoutTenant(m: EntityManager, userIds: string[]): Promise<void> {
    return deleteUsersWithoutTenant(m, userIds);
  }

  /** In a tenant transaction: the member's account (undefined when not a member of that tenant). */
  account(tx: TenantTx, id: string, lock = false): Promise<UserAccount | undefined> {
    return findUserAccount(tx.manager, id, lock);
  }

  setPassword(tx: TenantTx, id: string, passwordHash: string): Promise<void> {
    return setUserPassword(tx.manager, id, passwordHash);
  }
}
