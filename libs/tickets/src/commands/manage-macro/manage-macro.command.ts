import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { MacroView } from '../../repositories/macros.sql';

/** The macro as sent: `actions` is read and checked by the domain (`readMacroActions`), so a job or another caller gets the same checks as HTTP. */
export interface MacroInput {
  name: string;
  description?: string | null;
  active?: boolean;
  actions: unknown;
}

export type MacroChange =
  | { op: 'create'; input: MacroInput }
  | { op: 'update'; id: string; input: Partial<MacroInput>; expectedVersion: number | null }
  | { op: 'delete'; id: string };

/** Creates, changes or deletes a macro (owners and admins). */
export class ManageMacroCommand extends Command<MacroView | null> {
  constructor(
    readonly context: CommandContext,
    readonly change: MacroChange,
  ) {
    super();
  }
}
