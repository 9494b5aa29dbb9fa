import { Query } from '@nestjs/cqrs';
import type { ViewView } from '../../repositories/views.sql';

/** The views one caller sees (`viewId`: just that one, a 404 when they do not see it). */
export class ListViewsQuery extends Query<ViewView[]> {
  constructor(
    readonly tenantId: string,
    readonly userId: string | null,
    readonly configures: boolean,
    readonly viewId?: string,
  ) {
    super();
  }
}
