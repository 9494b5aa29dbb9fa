import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { DigestsRepository } from '../../repositories/digests.repository';
import type { DigestSettingsView } from '../../repositories/digests.sql';
import { SetDigestSettingsCommand } from './set-digest-settings.command';

@CommandHandler(SetDigestSettingsCommand)
export class SetDigestSettingsHandler implements ICommandHandler<SetDigestSettingsCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly digests: DigestsRepository,
  ) {}

  execute({ context, weeklyEnabled }: SetDigestSettingsCommand): Promise<DigestSettingsView> {
    return this.tx.run(context, async (tx) => {
      const before = await this.digests.settings(tx);
      await this.digests.setEnabled(tx, weeklyEnabled);
      if (before.weeklyEnabled !== weeklyEnabled) {
        await tx.audit({ action: 'reporting.digest_settings_changed', entityType: 'tenant', entityId: context.tenantId, before: { weeklyEnabled: before.weeklyEnabled }, after: { weeklyEnabled } });
      }
      return { ...before, weeklyEnabled };
    });
  }
}
