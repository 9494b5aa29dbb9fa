import { Query } from '@nestjs/cqrs';
import type { WidgetSettings } from '../../domain/widget';

/** What the widget script needs to draw itself: never the allowed origins or anything of the tenant's. */
export interface PublicWidgetConfig {
  name: string;
  greeting: string;
  color: string;
  collectContact: WidgetSettings['collectContact'];
  maxMessageLength: number;
  /** The widget's UI strings in the visitor's language (the tenant's own `ui.*` templates, else shipped ones). */
  strings: Record<string, string>;
}

export class GetWidgetConfigQuery extends Query<PublicWidgetConfig> {
  constructor(
    readonly publicKey: string,
    readonly origin: string | null,
    readonly locale: string | null = null,
  ) {
    super();
  }
}
