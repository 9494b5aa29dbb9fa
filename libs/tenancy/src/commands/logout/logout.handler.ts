import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { sha256 } from '../../domain/secrets';
import { LogoutCommand } from './logout.command';

/** Ends the sign-in the refresh token belongs to; an unknown token is not an error (idempotent). */
@CommandHandler(LogoutCommand)
export class LogoutHandler implements ICommandHandler<LogoutCommand> {
  constructor(private readonly tx: TenantTransaction) {}

  async execute({ refreshToken }: LogoutCommand): Promise<void> {
    await this.tx.runAsSystem((m) =>
      m.query(
        `UPDATE refresh_tokens SET revoked_at = coalesce(revoked_at, now())
          WHERE (tenant_id, family_id) IN (SELECT tenant_id, family_id FROM refresh_tokens WHERE token_hash = $1)`,
        [sha256(refreshToken)],
      ),
    );
  }
}
