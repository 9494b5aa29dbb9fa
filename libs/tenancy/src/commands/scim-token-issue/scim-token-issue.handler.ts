import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { ScimRepository } from '../../scim/scim.repository';
import type { ScimTokenView } from '../../scim/scim.sql';
import { newScimToken } from '../../scim/scim-token';
import { ScimTokenIssueCommand } from './scim-token-issue.command';

/** One live token per tenant; the secret is shown once, in this response, and stored hashed. */
@CommandHandler(ScimTokenIssueCommand)
export class ScimTokenIssueHandler implements ICommandHandler<ScimTokenIssueCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly scim: ScimRepository,
  ) {}

  execute({ context }: ScimTokenIssueCommand): Promise<ScimTokenView & { token: string }> {
    return this.tx.run(context, async (tx) => {
      const previous = await this.scim.activeToken(tx, true);
      await this.scim.revokeTokens(tx);
      const { token, prefix, secretHash } = newScimToken();
      const view = await this.scim.issueToken(tx, { prefix, secretHash, createdBy: context.actorType === 'user' ? context.actorId : null });
      await tx.audit({
        action: previous ? 'scim_token.rotated' : 'scim_token.created',
        entityType: 'scim_token',
        entityId: view.id,
        ...(previous ? { before: { prefix: previous.prefix } } : {}),
        after: { prefix: view.prefix },
      });
      return { ...view, token };
    });
  }
}
