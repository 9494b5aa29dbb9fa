import { Query } from '@nestjs/cqrs';
import type { MessageSettings } from '../../domain/messages';

export class GetMessageSettingsQuery extends Query<MessageSettings> {
  constructor(readonly tenantId: string) {
    super();
  }
}
