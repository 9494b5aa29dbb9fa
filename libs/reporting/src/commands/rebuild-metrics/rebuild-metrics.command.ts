import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { RebuildView } from '../../repositories/rebuilds.sql';

/** A platform operator rebuilds a tenant's metrics from its tickets' history, in batches on the worker. */
export class RebuildMetricsCommand extends Command<RebuildView> {
  constructor(readonly context: CommandContext) {
    super();
  }
}
