import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { MAILER, ProblemException, TenantTransaction, type Mailer } from '@switchboard/platform';
import { canAssignRole } from '../../domain/roles';
import { randomToken, sha256 } from '../../domain/secrets';
import { INVITATION_COLUMNS, INVITATION_TTL_DAYS, toInvitationView, type InvitationRow, type InvitationView } from '../../repositories/invitations';
import { normaliseEmail } from '../../repositories/tenancy.sql';
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
  ) {}

  async execute({ context, actorRole, email: rawEmail, role }: InviteMemberCommand): Promise<InvitationView> {
    if (!canAssignRole(actorRole, role)) {
      throw new ProblemException({ status: 403, type: 'forbidden', title: 'Forbidden', detail: `A ${actorRole ?? 'credential without a role'} cannot invite a ${role}.` });
    }
    const email = normaliseEmail(rawEmail);
    const token = randomToken(32);
    const { invitation, tenantName } = await this.tx.run(context, async (tx) => {
      const members: unknown[] = await tx.manager.query(
        `SELECT 1 FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.tenant_id = $1 AND u.email = $2`,
        [context.tenantId, email],
      );
      if (members.length > 0) {
        throw new ProblemException({ status: 409, type: 'already-member', title: 'Conflict', detail: `${email} is already a member of this tenant.`, errors: [{ field: 'email', message: 'is already a member' }] });
      }
      await tx.manager.query(
        `UPDATE invitations SET revoked_at = now() WHERE tenant_id = $1 AND email = $2 AND accepted_at IS NULL AND revoked_at IS NULL`,
        [context.tenantId, email],
      );
      const rows: InvitationRow[] = await tx.manager.query(
        `INSERT INTO invitations (tenant_id, email, role, token_hash, invited_by, expires_at)
         VALUES ($1, $2, $3, $4, $5, now() + make_interval(days => $6)) RETURNING ${INVITATION_COLUMNS}`,
        [context.tenantId, email, role, sha256(token), context.actorType === 'user' ? context.actorId : null, INVITATION_TTL_DAYS],
      );
      const [tenant]: { name: string }[] = await tx.manager.query(`SELECT name FROM tenants WHERE id = $1`, [context.tenantId]);
      await tx.audit({ action: 'invitation.created', entityType: 'invitation', entityId: rows[0].id, after: { email, role } });
      return { invitation: toInvitationView(rows[0]), tenantName: tenant.name };
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
