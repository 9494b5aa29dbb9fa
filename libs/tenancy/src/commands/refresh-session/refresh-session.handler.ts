import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { TenantTransaction, unauthorized } from '@switchboard/platform';
import { SessionIssuer, type Session } from '../../auth/session-issuer';
import { sha256 } from '../../domain/secrets';
import { RefreshTokensRepository } from '../../repositories/refresh-tokens.repository';
import type { PresentedRefreshToken } from '../../repositories/refresh-tokens.sql';
import { RefreshSessionCommand } from './refresh-session.command';

type Outcome = { session: Session } | { error: string; reuse?: PresentedRefreshToken };

/**
 * Rotates the refresh token on every use. Presenting a token that was already rotated means it
 * leaked (or was replayed): the whole family — every token of that login — is revoked.
 */
@CommandHandler(RefreshSessionCommand)
export class RefreshSessionHandler implements ICommandHandler<RefreshSessionCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly sessions: SessionIssuer,
    private readonly refreshTokens: RefreshTokensRepository,
  ) {}

  async execute({ refreshToken, requestId }: RefreshSessionCommand): Promise<Session> {
    const outcome = await this.tx.runAsSystem(async (m): Promise<Outcome> => {
      const token = await this.refreshTokens.findForUpdate(m, sha256(refreshToken));
      if (!token) return { error: 'The refresh token is not valid.' };
      // The newest token of a revoked session (signed out, revoked from the session list): no leak to report.
      if (token.revoked && !token.rotated) return { error: 'This sign-in has ended (signed out or revoked); sign in again.' };
      if (token.rotated) {
        await this.refreshTokens.revokeFamily(m, token);
        return { error: 'The refresh token was already used; every session of that sign-in has been revoked.', reuse: token };
      }
      if (token.expiresAt.getTime() <= Date.now() || token.tenant.status !== 'active' || !token.role) {
        return { error: 'The refresh token has expired or no longer grants access.' };
      }
      await this.refreshTokens.markRotated(m, token);
      const { id, slug, name } = token.tenant;
      return { session: await this.sessions.renew(m, { userId: token.userId, role: token.role, tenant: { id, slug, name }, sessionId: token.familyId }) };
    });
    if ('error' in outcome) {
      const reused = outcome.reuse;
      if (reused) {
        await this.tx.run({ tenantId: reused.tenantId, actorId: reused.userId, actorType: 'user', correlationId: requestId }, (tx) =>
          tx.audit({ action: 'auth.refresh_token_reused', entityType: 'user', entityId: reused.userId, after: { familyRevoked: reused.familyId } }),
        );
      }
      throw unauthorized(outcome.error);
    }
    return outcome.session;
  }
}
