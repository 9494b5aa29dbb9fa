import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { TenantView } from '../../repositories/tenants.sql';

export class ChangeTenantStatusCommand extends Command<TenantView> {
  constructor(
    readonly context: CommandContext,
    readonly status: 'active' | 'suspended',
  ) {
    super();
  }
}
