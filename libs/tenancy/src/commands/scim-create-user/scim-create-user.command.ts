import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { ScimUserResource } from '../../scim/scim-user';

/** POST /Users from the company's directory. */
export class ScimCreateUserCommand extends Command<ScimUserResource> {
  constructor(
    readonly context: CommandContext,
    readonly body: unknown,
    /** The SCIM base URL, for meta.location. */
    readonly baseUrl: string,
  ) {
    super();
  }
}
