import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { sha256 } from '../../domain/secrets';
import { RefreshTokensRepository } from '../../repositories/refresh-tokens.repository';
import { LogoutCommand } from './logout.command';

/** Ends the sign-in the refresh token belongs to; an unknown token is not an error (idempotent). */
@CommandHandler(LogoutCommand)
export class LogoutHandler implements ICommandHandler<LogoutCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly refreshTokens: RefreshTokensRepository,
  ) {}

  async execute({ refreshToken }: LogoutCommand): Promise<void> {
    await this.tx.runAsSystem((m) => this.refreshTokens.revokeFamilyOf(m, sha256(refreshToken)));
  }
}
