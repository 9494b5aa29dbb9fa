import { Injectable } from '@nestjs/common';
import { ProblemException, TenantTransaction } from '@switchboard/platform';
import { originAllowed, readVisitorToken, secretMatches } from '../domain/widget';
import { ChannelsRepository, type ChannelRecord } from '../repositories/channels.repository';
import { WidgetSessionsRepository, type WidgetSession } from '../repositories/widget-sessions.repository';

const KEY = /^wk_[A-Za-z0-9_-]{20,64}$/;

export const widgetNotFound = () =>
  new ProblemException({ status: 404, type: 'not-found', title: 'Not Found', detail: 'No active web chat widget has this key; check the data-key of the embed snippet.' });

export const visitorUnauthorized = (detail = 'The visitor token is missing, malformed, expired or not for this widget; start a new session with POST /v1/public/widget/{key}/sessions.') =>
  new ProblemException({ status: 401, type: 'visitor-unauthorized', title: 'Unauthorized', detail });

/**
 * The three checks every public widget call makes before any tenant is pinned: the channel by its
 * public key (an active web channel of some tenant, else 404), the page's Origin against the
 * channel's allowed origins (403), and, for a visitor's own calls, the token (its session on this
 * channel, unexpired, the secret matching the stored hash in constant time; else 401).
 */
@Injectable()
export class VisitorAccess {
  constructor(private readonly tx: TenantTransaction) {}

  async channel(publicKey: string, origin: string | null | undefined): Promise<ChannelRecord> {
    if (!KEY.test(publicKey)) throw widgetNotFound();
    const channel = await this.tx.runAsSystem((m) => ChannelsRepository.routeByPublicKey(m, publicKey));
    if (!channel || channel.status !== 'active' || !channel.widget) throw widgetNotFound();
    if (!originAllowed(channel.widget.allowedOrigins, origin)) {
      throw new ProblemException({
        status: 403,
        type: 'widget-origin-forbidden',
        title: 'Forbidden',
        detail: `The widget may not be used from ${origin ? `the origin ${origin.slice(0, 200)}` : 'a page without an Origin header'}; add the site's origin to the channel's widget.allowedOrigins.`,
      });
    }
    return channel;
  }

  async visitor(publicKey: string, origin: string | null | undefined, token: string | null | undefined): Promise<{ channel: ChannelRecord; session: WidgetSession }> {
    const channel = await this.channel(publicKey, origin);
    const session = await this.session(token);
    if (session.tenantId !== channel.tenantId || session.channelId !== channel.id) throw visitorUnauthorized();
    return { channel, session };
  }

  /** The session a token opens, whichever channel it belongs to (the socket handshake checks the origin against that channel next). */
  async session(token: string | null | undefined): Promise<WidgetSession> {
    const parsed = readVisitorToken(token);
    if (!parsed) throw visitorUnauthorized();
    const session = await this.tx.runAsSystem((m) => WidgetSessionsRepository.routeById(m, parsed.sessionId));
    if (!session || !secretMatches(parsed.secret, session.secretHash)) throw visitorUnauthorized();
    if (session.expiresAt.getTime() <= Date.now()) throw visitorUnauthorized('The visitor token has expired; start a new session.');
    return session;
  }

  async channelOf(session: WidgetSession): Promise<ChannelRecord | undefined> {
    const channel = await this.tx.runAsSystem((m) => ChannelsRepository.routeById(m, session.channelId));
    return channel && channel.tenantId === session.tenantId && channel.status === 'active' ? channel : undefined;
  }
}
