import { Query } from '@nestjs/cqrs';
import type { SsoConnectionView } from '../../sso/sso.sql';

export class SsoGetConnectionQuery extends Query<SsoConnectionView> {
  constructor(readonly tenantId: string) {
    super();
  }
}
