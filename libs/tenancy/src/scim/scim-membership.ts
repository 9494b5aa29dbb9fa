import { Injectable } from '@nestjs/common';
import type { TenantTx } from '@switchboard/platform';
import { MembersRepository } from '../repositories/members.repository';
import { RefreshTokensRepository } from '../repositories/refresh-tokens.repository';
import { MemberAdded, MemberRemoved } from '../tenancy.context';
import { ScimError } from './scim-error';
import { ScimRepository } from './scim.repository';

/**
 * What an active/inactive switch from the directory does to the person's access, inside the
 * caller's transaction. Deactivation removes the membership (so every credential check refuses
 * at once, after the caller drops the access cache), revokes the refresh tokens and the API keys
 * the person created; activation restores a membership with the provisioning role.
 */
@Injectable()
export class ScimMembership {
  constructor(
    private readonly scim: ScimRepository,
    private readonly members: MembersRepository,
    private readonly refreshTokens: RefreshTokensRepository,
  ) {}

  /** True when a membership was added. */
  async activate(tx: TenantTx, userId: string, email: string): Promise<boolean> {
    const role = await this.scim.provisioningRole(tx);
    const membershipId = await this.members.addIfAbsent(tx, userId, role);
    if (!membershipId) return false;
    await tx.audit({ action: 'member.added', entityType: 'membership', entityId: membershipId, after: { userId, email, role, provisionedBy: 'scim' } });
    await tx.emit(MemberAdded.of(membershipId, { userId, role }));
    return true;
  }

  /** True when access was taken away (the caller must then drop the tenant's cached credentials). */
  async deactivate(tx: TenantTx, userId: string, email: string): Promise<boolean> {
    const membership = await this.scim.membershipOf(tx, userId);
    const keys = await this.scim.revokeApiKeysCreatedBy(tx, userId);
    for (const id of keys) await tx.audit({ action: 'api_key.revoked', entityType: 'api_key', entityId: id, after: { reason: 'scim-deactivated' } });
    await this.refreshTokens.revokeAllOfUser(tx, userId);
    if (membership) {
      if (membership.role === 'owner' && (await this.members.countOwners(tx)) <= 1) {
        throw new ScimError(400, 'This person is the tenant’s last owner; make someone else an owner before deactivating them.', 'mutability');
      }
      await this.members.remove(tx, membership.id);
      await tx.audit({ action: 'member.removed', entityType: 'membership', entityId: membership.id, before: { userId, email, role: membership.role }, after: { reason: 'scim-deactivated' } });
      await tx.emit(MemberRemoved.of(membership.id, { userId }));
    }
    return membership !== undefined || keys.length > 0;
  }
}
