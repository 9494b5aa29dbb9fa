import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { TenantView } from '../../repositories/tenants.sql';

export interface UpdateTenantInput {
  name?: string;
  timezone?: string;
  locale?: string;
}

export class UpdateTenantCommand extends Command<TenantView> {
  constructor(
    readonly context: CommandContext,
    readonly changes: UpdateTenantInput,
    /** The version the caller last saw (If-Match), if it sent one. */
    readonly expectedVersion: number | null,
  ) {
    super();
  }
}
