import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { ServiceView } from '../../repositories/services.sql';
import type { ServiceInput } from '../create-service/create-service.command';

export type ServiceChanges = Partial<ServiceInput>;

export class UpdateServiceCommand extends Command<ServiceView> {
  constructor(
    readonly context: CommandContext,
    readonly serviceId: string,
    readonly changes: ServiceChanges,
    /** From If-Match; null when the caller sent none. */
    readonly expectedVersion: number | null,
  ) {
    super();
  }
}
