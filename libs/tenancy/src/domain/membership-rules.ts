import { ProblemException } from '@switchboard/platform';
import { canAssignRole, type Role } from './roles';

const forbidden = (detail: string) => new ProblemException({ status: 403, type: 'forbidden', title: 'Forbidden', detail });

/**
 * The rules every change to a membership obeys, whoever asks: only owners touch owners, nobody
 * grants more than they may, and a tenant keeps at least one owner. `newRole` null: removal.
 * Owners are counted only when the last one could be leaving.
 */
export async function assertMayChange(actorRole: string | undefined, member: { role: Role }, newRole: Role | null, countOwners: () => Promise<number>): Promise<void> {
  if (member.role === 'owner' && actorRole !== 'owner') throw forbidden('Only an owner can change or remove an owner.');
  if (newRole && !canAssignRole(actorRole, newRole)) throw forbidden(`A ${actorRole ?? 'credential without a role'} cannot grant the ${newRole} role.`);
  if (member.role === 'owner' && newRole !== 'owner' && (await countOwners()) <= 1) {
    throw new ProblemException({
      status: 409,
      type: 'last-owner',
      title: 'Conflict',
      detail: 'A tenant must keep at least one owner; make someone else owner first.',
    });
  }
}
