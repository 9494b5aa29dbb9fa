import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { ScimGroupResource } from '../../domain/scim-group';

export type ScimGroupChange = { kind: 'create'; body: unknown } | { kind: 'replace'; id: string; body: unknown } | { kind: 'patch'; id: string; body: unknown } | { kind: 'delete'; id: string };

/** A directory creates, replaces, patches or deletes a ticket group (as a SCIM Group). */
export class ScimSaveGroupCommand extends Command<ScimGroupResource | null> {
  constructor(
    readonly context: CommandContext,
    readonly change: ScimGroupChange,
    readonly baseUrl: string,
  ) {
    super();
  }
}
