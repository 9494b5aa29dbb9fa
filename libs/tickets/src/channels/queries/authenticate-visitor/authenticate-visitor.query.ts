import { Query } from '@nestjs/cqrs';

/** Who a visitor socket is: the room it may join is derived from this, never from the client. */
export interface AuthenticatedVisitor {
  tenantId: string;
  channelId: string;
  sessionId: string;
  expiresAt: string;
}

export class AuthenticateVisitorQuery extends Query<AuthenticatedVisitor> {
  constructor(
    readonly token: string | null,
    readonly origin: string | null,
  ) {
    super();
  }
}
