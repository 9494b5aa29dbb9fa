import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { ViewFilter, ViewScope, ViewSort } from '../../domain/views';
import type { ViewView } from '../../repositories/views.sql';

export interface ViewInput {
  name?: string;
  scope?: ViewScope;
  groupId?: string | null;
  filter?: ViewFilter;
  sort?: ViewSort;
  order?: 'asc' | 'desc';
  position?: number;
}

/** Creates a view (`viewId` null) or changes one; `configures`: the caller sets up the help desk (tickets:configure). */
export class SaveViewCommand extends Command<ViewView> {
  constructor(
    readonly context: CommandContext,
    readonly viewId: string | null,
    readonly input: ViewInput,
    readonly configures: boolean,
    readonly expectedVersion: number | null = null,
  ) {
    super();
  }
}
