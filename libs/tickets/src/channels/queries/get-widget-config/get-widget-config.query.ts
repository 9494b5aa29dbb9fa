import { Query } from '@nestjs/cqrs';
import type { WidgetSettings } from '../../domain/widget';

/** What the widget script needs to draw itself: never the allowed origins or anything of the tenant's. */
export interface PublicWidgetConfig {
  name: string;
  greeting: string;
  color: string;
  collectContact: WidgetSettings['collectContact'];
  maxMessageLength: number;
}

export class GetWidgetConfigQuery extends Query<PublicWidgetConfig> {
  constructor(
    readonly publicKey: string,
    readonly origin: string | null,
  ) {
    super();
  }
}
