import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { VisitorAccess } from '../../adapters/visitor-access.service';
import { VISITOR_MESSAGE_MAX } from '../../domain/widget';
import { GetWidgetConfigQuery, type PublicWidgetConfig } from './get-widget-config.query';

@QueryHandler(GetWidgetConfigQuery)
export class GetWidgetConfigHandler implements IQueryHandler<GetWidgetConfigQuery> {
  constructor(private readonly access: VisitorAccess) {}

  async execute({ publicKey, origin }: GetWidgetConfigQuery): Promise<PublicWidgetConfig> {
    const channel = await this.access.channel(publicKey, origin);
    const { greeting, color, collectContact } = channel.widget!;
    return { name: channel.name, greeting, color, collectContact, maxMessageLength: VISITOR_MESSAGE_MAX };
  }
}
