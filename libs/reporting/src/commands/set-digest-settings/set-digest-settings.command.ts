import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { DigestSettingsView } from '../../repositories/digests.sql';

/** An owner or admin turns the tenant's weekly report digest on or off. */
export class SetDigestSettingsCommand extends Command<DigestSettingsView> {
  constructor(
    readonly context: CommandContext,
    readonly weeklyEnabled: boolean,
  ) {
    super();
    if (typeof weeklyEnabled !== 'boolean') throw new TypeError('weeklyEnabled must be a boolean');
  }
}
