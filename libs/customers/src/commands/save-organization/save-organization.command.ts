import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { OrganizationView } from '../../repositories/organizations.sql';

export interface OrganizationFields {
  name?: string;
  domains?: string[];
  notes?: string | null;
}

/** Creates an organization (no id) or changes one (id, optionally the version last seen). */
export class SaveOrganizationCommand extends Command<OrganizationView> {
  constructor(
    readonly context: CommandContext,
    readonly organizationId: string | null,
    readonly fields: OrganizationFields,
    readonly expectedVersion: number | null = null,
  ) {
    super();
  }
}
