import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { Status } from '../../domain/ticket';
import type { StatusView } from '../../repositories/statuses.sql';

export interface StatusInput {
  /** Only at creation: a status keeps its category (tickets in it would change category otherwise). */
  category?: Status;
  agentLabel?: string;
  endUserLabel?: string | null;
  description?: string | null;
  active?: boolean;
  position?: number;
}

/** Creates a custom status (`statusId` null) or changes one. */
export class SaveStatusCommand extends Command<StatusView> {
  constructor(
    readonly context: CommandContext,
    readonly statusId: string | null,
    readonly input: StatusInput,
    readonly expectedVersion: number | null = null,
  ) {
    super();
  }
}
