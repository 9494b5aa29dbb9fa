import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { TenantView } from '../../repositories/tenants.sql';

export interface CreateTenantInput {
  name: string;
  slug: string;
  timezone: string;
  locale: string;
  owner: { email: string; name: string; password: string };
}

export class CreateTenantCommand extends Command<TenantView> {
  constructor(
    /** Who asks (a platform operator); the tenant id is made by the handler. */
    readonly actor: Omit<CommandContext, 'tenantId'>,
    readonly input: CreateTenantInput,
  ) {
    super();
  }
}
