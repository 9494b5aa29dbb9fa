import { Inject, Optional } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { MAILER, ProblemException, TenantTransaction, type Mailer } from '@switchboard/platform';
import { normaliseEmail } from '../../domain/email';
import { canAssignRole } from '../../domain/roles';
import { randomToken, sha256 } from '../../domain/secrets';
import { SEAT_LIMIT_POLICY, type SeatLimitPolicy } from '../../domain/seat-limit.port';
import { InvitationsRepository } from '../../repositories/invitations.repository';
import { INVITATION_TTL_DAYS, type InvitationView } from '../../repositories/invitations.sql';
import { MembersRepository } from '../../repositories/members.repository';
import { TenantsRepository } from '../../repositories/tenants.repository';
import { InviteMemberCommand } from './invite-member.command';

/**
 * A single-use token, valid for 7 days, sent by email; only its hash is stored. Inviting an
 * address again replaces its pending invitation, so at most one link works.
 */
@CommandHandler(InviteMemberCommand)
export class InviteMemberHandler implements ICommandHandler<InviteMemberCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    @Inject(MAILER) private readonly mailer: Mailer,
    private readonly invitations: InvitationsRepository,
    private readonly members: MembersRepository,
    private readonly tenants: TenantsRepository,
    @Optional() @Inject(SEAT_LIMIT_POLICY) private readonly seats?: SeatLimitPolicy,
  ) {}

  async execute({ context, actorRole, email: rawEmail, role }: InviteMemberCommand): Promise<InvitationView> {
    if (!canAssignRole(actorRole, role)) {
      throw new ProblemException({ status: 403, type: 'forbidden', title: 'Forbidden', detail: `A ${actorRole ?? 'credential without a role'} cannot invite a ${role}.` });
    }
    const email = normaliseEmail(rawEmail);
    const token = randomToken(32);
    // Read before the transaction: the policy has its own (cached) reads.
    const seats = this.seats ? await this.seats.seatLimit(context) : null;
    const { invitation, tenantName } = await this.tx.run(context, async (tx) => {
      if (await this.members.hasEmail(tx, email)) {
        throw new ProblemException({ status: 409, type: 'already-member', title: 'Conflict', detail: `${email} is already a member of this tenant.`, errors: [{ field: 'email', message: 'is already a member' }] });
      }
      await this.invitations.revokePending(tx, email);
      if (seats?.limit != null) {
        const used = await this.invitations.countSeats(tx);
        if (used >= seats.limit) {
          throw new ProblemException({
            status: 402,
            type: 'plan-limit-reached',
            title: 'Payment Required',
            detail: `The ${seats.plan} plan includes ${seats.limit} seats and ${used} are taken by members and pending invitations. Upgrade the plan or revoke an invitation.`,
            extensions: { limit: 'seats', plan: seats.plan, allowed: seats.limit, used },
          });
        }
      }
      const created = await this.invitations.create(tx, {
        email,
        role,
        tokenHash: sha256(token),
        invitedBy: context.actorType === 'user' ? context.actorId : null,
        ttlDays: INVITATION_TTL_DAYS,
      });
      const tenant = (await this.tenants.find(tx))!;
      await tx.audit({ action: 'invitation.created', entityType: 'invitation', entityId: created.id, after: { email, role } });
      return { invitation: created, tenantName: tenant.name };
    });
    // After commit: a mail for an invitation that does not exist would be worse than a retry.
    await this.mailer.send({
      to: email,
      subject: `You are invited to ${tenantName} on Switchboard`,
      text: `You have been invited to join ${tenantName} as ${role}.\n\nAccept with: POST /v1/invitations/accept {"token": "${token}", "name": "…", "password": "…"}\n\nThe invitation expires in ${INVITATION_TTL_DAYS} days and works once.`,
    });
    return invitation;
  }
}
