import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { VisitorAccess, widgetNotFound } from '../../adapters/visitor-access.service';
import { AuthenticateVisitorQuery, type AuthenticatedVisitor } from './authenticate-visitor.query';

/** A visitor socket's handshake: the token's session, its channel still active, and the page's origin allowed by that channel. */
@QueryHandler(AuthenticateVisitorQuery)
export class AuthenticateVisitorHandler implements IQueryHandler<AuthenticateVisitorQuery> {
  constructor(private readonly access: VisitorAccess) {}

  async execute({ token, origin }: AuthenticateVisitorQuery): Promise<AuthenticatedVisitor> {
    const session = await this.access.session(token);
    const channel = await this.access.channelOf(session);
    if (!channel?.publicKey) throw widgetNotFound();
    await this.access.channel(channel.publicKey, origin);
    return { tenantId: session.tenantId, channelId: session.channelId, sessionId: session.id, expiresAt: session.expiresAt.toISOString() };
  }
}
