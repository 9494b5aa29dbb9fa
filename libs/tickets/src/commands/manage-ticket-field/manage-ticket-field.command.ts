import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { FieldOption, FieldType } from '../../domain/custom-fields';
import type { TicketFieldView } from '../../repositories/custom-fields.sql';

export interface TicketFieldInput {
  label: string;
  description?: string | null;
  /** Dropdown and multi-select only: the choices; an option is never removed, only deactivated. */
  options?: { value: string; label: string; active?: boolean }[];
  /** Regex fields only. */
  pattern?: string | null;
  requiredAtCreate?: boolean;
  requiredAtSolve?: boolean;
}

export type TicketFieldChange =
  | { op: 'create'; key: string; type: FieldType; input: TicketFieldInput }
  | { op: 'update'; id: string; changes: Partial<TicketFieldInput>; expectedVersion: number | null }
  | { op: 'delete'; id: string };

export type { FieldOption };

/** Creates, changes or (softly) deletes a custom ticket field (owners and admins). */
export class ManageTicketFieldCommand extends Command<TicketFieldView | null> {
  constructor(
    readonly context: CommandContext,
    readonly change: TicketFieldChange,
  ) {
    super();
  }
}
