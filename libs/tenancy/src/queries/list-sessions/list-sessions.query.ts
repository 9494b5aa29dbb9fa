import { Query } from '@nestjs/cqrs';
import type { SessionView } from '../../repositories/sessions.sql';

export type SessionListItem = Omit<SessionView, 'userId'> & { current: boolean };

/** The user's active sign-ins in this tenant, newest use first; `current` marks the caller's own. */
export class ListSessionsQuery extends Query<SessionListItem[]> {
  constructor(
    readonly tenantId: string,
    readonly userId: string,
    readonly currentSessionId: string | null,
  ) {
    super();
  }
}
