import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { canonicalLocale } from '../../domain/message-templates';
import { MessageTemplatesRepository } from '../../repositories/message-templates.repository';
import { DeleteMessageTemplateCommand } from './delete-message-template.command';

@CommandHandler(DeleteMessageTemplateCommand)
export class DeleteMessageTemplateHandler implements ICommandHandler<DeleteMessageTemplateCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly templates: MessageTemplatesRepository,
  ) {}

  execute({ context, key, locale: requested }: DeleteMessageTemplateCommand): Promise<void> {
    const locale = canonicalLocale(requested) ?? requested;
    return this.tx.run(context, async (tx) => {
      const before = await this.templates.find(tx, key, locale, true);
      if (!before || !(await this.templates.delete(tx, key, locale))) throw notFound('Message template', `${key}/${locale}`);
      await tx.audit({ action: 'message_template.deleted', entityType: 'message_template', entityId: `${key}:${locale}`, before: { ...before } });
    });
  }
}
