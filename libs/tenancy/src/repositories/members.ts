import { ProblemException } from '@switchboard/platform';
import type { EntityManager } from 'typeorm';
import { canAssignRole, type Role } from '../domain/roles';
import { countOwners, type MemberRow } from './tenancy.sql';

export interface MemberView {
  id: string;
  userId: string;
  email: string;
  name: string;
  role: Role;
  createdAt: string;
}

export const toMemberView = (m: MemberRow): MemberView => ({
  id: m.id,
  userId: m.user_id,
  email: m.email,
  name: m.name,
  role: m.role,
  createdAt: new Date(m.created_at).toISOString(),
});

const forbidden = (detail: string) => new ProblemException({ status: 403, type: 'forbidden', title: 'Forbidden', detail });

/** The rules every change to a membership obeys, whoever asks. */
export async function assertMayChange(m: EntityManager, actorRole: string | undefined, member: MemberRow, newRole: Role | null): Promise<void> {
  if (member.role === 'owner' && actorRole !== 'owner') throw forbidden('Only an owner can change or remove an owner.');
  if (newRole && !canAssignRole(actorRole, newRole)) throw forbidden(`A ${actorRole ?? 'credential without a role'} cannot grant the ${newRole} role.`);
  if (member.role === 'owner' && newRole !== 'owner' && (await countOwners(m, member.tenant_id)) <= 1) {
    throw new ProblemException({
      status: 409,
      type: 'last-owner',
      title: 'Conflict',
      detail: 'A tenant must keep at least one owner; make someone else owner first.',
    });
  }
}
