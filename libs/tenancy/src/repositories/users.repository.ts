import { Injectable } from '@nestjs/common';
import type { TenantTx } from '@switchboard/platform';
import type { EntityManager } from 'typeorm';
import { deleteUsersWithoutTenant, findUserCredentials, insertUser, upsertUser, type NewUser, type UserCredentials } from './users.sql';

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
}
