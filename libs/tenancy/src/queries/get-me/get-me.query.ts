import { Query } from '@nestjs/cqrs';
import type { Principal } from '@switchboard/platform';

export interface MeView {
  kind: 'user' | 'api-key';
  user: { id: string; email: string; name: string } | null;
  apiKey: { id: string; name: string } | null;
  tenant: { id: string; slug: string; name: string; timezone: string; locale: string };
  role: string | null;
  permissions: readonly string[];
  impersonatedBy: string | null;
  /** Every declared feature flag's answer for this caller. */
  flags: Record<string, boolean>;
}

export class GetMeQuery extends Query<MeView> {
  constructor(readonly principal: Principal) {
    super();
  }
}
