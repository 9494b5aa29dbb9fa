import { Query } from '@nestjs/cqrs';
import type { ScimTokenView } from '../../scim/scim.sql';

export class ScimTokenGetQuery extends Query<ScimTokenView> {
  constructor(readonly tenantId: string) {
    super();
  }
}
