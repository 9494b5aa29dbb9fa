import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { TenantTransaction, unauthorized } from '@switchboard/platform';
import { SessionIssuer, type Session } from '../../auth/session-issuer';
import { sha256 } from '../../domain/secrets';
import { RefreshSessionCommand } from './refresh-session.command';

interface RefreshRow {
  id: string;
  tenant_id: string;
  user_id: string;
  family_id: string;
  expires_at: Date;
  rotated_at: Date | null;
  revoked_at: Date | null;
  role: string | null;
  slug: string;
  name: string;
  status: string;
}

/**
 * Rotates the refresh token on every use. Presenting a token that was already rotated means it
 * leaked (or was replayed): the whole family — every token of that login — is revoked.
 */
@CommandHandler(RefreshSessionCommand)
export class RefreshSessionHandler implements ICommandHandler<RefreshSessionCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly sessions: SessionIssuer,
  ) {}

  async execute({ refreshToken, requestId }: RefreshSessionCommand): Promise<Session> {
    const outcome = await this.tx.runAsSystem(async (m) => {
      const rows: RefreshRow[] = await m.query(
        `SELECT r.id, r.tenant_id, r.user_id, r.family_id, r.expires_at, r.rotated_at, r.revoked_at,
                mb.role, t.slug, t.name, t.status
           FROM refresh_tokens r
           JOIN tenants t ON t.id = r.tenant_id
           LEFT JOIN memberships mb ON mb.tenant_id = r.tenant_id AND mb.user_id = r.user_id
          WHERE r.token_hash = $1 FOR UPDATE OF r`,
        [sha256(refreshToken)],
      );
      const row = rows[0];
      if (!row) return { error: 'The refresh token is not valid.' } as const;
      if (row.rotated_at || row.revoked_at) {
        await m.query(`UPDATE refresh_tokens SET revoked_at = coalesce(revoked_at, now()) WHERE tenant_id = $1 AND family_id = $2`, [row.tenant_id, row.family_id]);
        return { error: 'The refresh token was already used; every session of that sign-in has been revoked.', reuse: row } as const;
      }
      if (new Date(row.expires_at).getTime() <= Date.now() || row.status !== 'active' || !row.role) {
        return { error: 'The refresh token has expired or no longer grants access.' } as const;
      }
      await m.query(`UPDATE refresh_tokens SET rotated_at = now() WHERE tenant_id = $1 AND id = $2`, [row.tenant_id, row.id]);
      const session = await this.sessions.issue(m, {
        userId: row.user_id,
        role: row.role,
        tenant: { id: row.tenant_id, slug: row.slug, name: row.name },
        familyId: row.family_id,
      });
      return { session } as const;
    });
    if ('reuse' in outcome && outcome.reuse) {
      const r = outcome.reuse;
      await this.tx.run({ tenantId: r.tenant_id, actorId: r.user_id, actorType: 'user', correlationId: requestId }, (tx) =>
        tx.audit({ action: 'auth.refresh_token_reused', entityType: 'user', entityId: r.user_id, after: { familyRevoked: r.family_id } }),
      );
    }
    if ('error' in outcome) throw unauthorized(outcome.error ?? 'The refresh token is not valid.');
    return outcome.session;
  }
}
