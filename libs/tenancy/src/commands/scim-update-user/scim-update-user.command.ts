import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { ScimUserResource } from '../../scim/scim-user';

/** PUT (the whole resource) or PATCH (RFC 7644 §3.5.2 operations) of a provisioned user. */
export class ScimUpdateUserCommand extends Command<ScimUserResource> {
  constructor(
    readonly context: CommandContext,
    readonly id: string,
    readonly change: { kind: 'replace'; body: unknown } | { kind: 'patch'; body: unknown },
    readonly baseUrl: string,
  ) {
    super();
  }
}
