import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '../../../database/command-context';
import type { Probe } from '../../entities/probe.entity';

export class RequestProbeCommand extends Command<Probe> {
  constructor(
    readonly context: CommandContext,
    readonly note: string | null,
  ) {
    super();
  }
}
