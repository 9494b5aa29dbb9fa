import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { ScimTokenView } from '../../scim/scim.sql';

/** Creates the tenant's SCIM token, or rotates it (the old one stops working at once). */
export class ScimTokenIssueCommand extends Command<ScimTokenView & { token: string }> {
  constructor(readonly context: CommandContext) {
    super();
  }
}
