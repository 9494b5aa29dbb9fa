import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ProblemException, TenantTransaction, type CommandContext } from '@switchboard/platform';
import { VisitorAccess } from '../../adapters/visitor-access.service';
import { channelsConfig, type ChannelsConfig } from '../../channels.registration';
import { newVisitorToken, normaliseOrigin } from '../../domain/widget';
import { WidgetSessionsRepository } from '../../repositories/widget-sessions.repository';
import { StartVisitorSessionCommand, type StartedVisitorSession } from './start-visitor-session.command';

/**
 * A visitor's session on a web channel: an opaque token bound to the tenant, the channel and the
 * one conversation this session will have, expiring after CHANNELS_WIDGET_SESSION_TTL_HOURS. No
 * contact or ticket exists until the visitor writes.
 */
@CommandHandler(StartVisitorSessionCommand)
export class StartVisitorSessionHandler implements ICommandHandler<StartVisitorSessionCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly access: VisitorAccess,
    private readonly sessions: WidgetSessionsRepository,
    @Inject(channelsConfig.token) private readonly config: ChannelsConfig,
  ) {}

  async execute({ publicKey, origin, intro, correlationId }: StartVisitorSessionCommand): Promise<StartedVisitorSession> {
    const channel = await this.access.channel(publicKey, origin);
    const name = intro.name?.trim() || null;
    const email = intro.email?.trim().toLowerCase() || null;
    if (channel.widget!.collectContact === 'required' && (!name || !email)) {
      throw new ProblemException({
        status: 400,
        type: 'validation-failed',
        title: 'Bad Request',
        detail: 'This chat asks for your name and email before the conversation starts.',
        errors: [...(name ? [] : [{ field: 'name', message: 'is required' }]), ...(email ? [] : [{ field: 'email', message: 'is required' }])],
      });
    }
    const context: CommandContext = { tenantId: channel.tenantId, actorId: null, actorType: 'system', correlationId: correlationId ?? randomUUID() };
    const id = randomUUID();
    const { token, secretHash } = newVisitorToken(id);
    const expiresAt = new Date(Date.now() + this.config.CHANNELS_WIDGET_SESSION_TTL_HOURS * 3_600_000);
    await this.tx.run(context, (tx) =>
      this.sessions.insert(tx, { id, channelId: channel.id, secretHash, name: channel.widget!.collectContact === 'none' ? null : name, email: channel.widget!.collectContact === 'none' ? null : email, origin: origin ? normaliseOrigin(origin) : null, expiresAt }),
    );
    return { sessionId: id, token, expiresAt: expiresAt.toISOString() };
  }
}
