import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import type { MessageSettings } from '../../domain/messages';
import { MessagesRepository } from '../../repositories/messages.repository';
import { GetMessageSettingsQuery } from './get-message-settings.query';

/** The tenant's messaging settings, or the defaults until it saves its own. */
@QueryHandler(GetMessageSettingsQuery)
export class GetMessageSettingsHandler implements IQueryHandler<GetMessageSettingsQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly messages: MessagesRepository,
  ) {}

  execute({ tenantId }: GetMessageSettingsQuery): Promise<MessageSettings> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, (tx) => this.messages.settings(tx));
  }
}
