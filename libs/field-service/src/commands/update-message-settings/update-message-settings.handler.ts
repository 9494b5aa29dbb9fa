import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import type { MessageSettings } from '../../domain/messages';
import { MessagesRepository } from '../../repositories/messages.repository';
import { UpdateMessageSettingsCommand } from './update-message-settings.command';

/** Changes the fields given; messages already planned keep their instants, later ones follow the new settings. */
@CommandHandler(UpdateMessageSettingsCommand)
export class UpdateMessageSettingsHandler implements ICommandHandler<UpdateMessageSettingsCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly messages: MessagesRepository,
  ) {}

  execute({ context, changes }: UpdateMessageSettingsCommand): Promise<MessageSettings> {
    return this.tx.run(context, async (tx) => {
      const before = await this.messages.settings(tx);
      const defined = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) as Partial<MessageSettings>;
      const after = await this.messages.saveSettings(tx, { ...before, ...defined });
      await tx.audit({ action: 'field_service.message_settings_updated', entityType: 'tenant', entityId: context.tenantId, before: { ...before }, after: { ...after } });
      return after;
    });
  }
}
