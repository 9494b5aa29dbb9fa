import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { ProblemException, TenantTransaction } from '@switchboard/platform';
import { ChannelSecretsService } from '../../adapters/channel-secrets.service';
import { ChannelMetrics } from '../../channel-metrics';
import { sameSecret } from '../../domain/webhook-auth';
import { ChannelsRepository } from '../../repositories/channels.repository';
import { VerifyWebhookSubscriptionQuery } from './verify-webhook-subscription.query';

const refused = () =>
  new ProblemException({ status: 403, type: 'webhook-verification-failed', title: 'Forbidden', detail: 'hub.mode must be "subscribe" and hub.verify_token the channel’s webhook secret.' });

@QueryHandler(VerifyWebhookSubscriptionQuery)
export class VerifyWebhookSubscriptionHandler implements IQueryHandler<VerifyWebhookSubscriptionQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly secrets: ChannelSecretsService,
    private readonly metrics: ChannelMetrics,
  ) {}

  async execute({ channelId, mode, verifyToken, challenge }: VerifyWebhookSubscriptionQuery): Promise<string> {
    const channel = await this.tx.runAsSystem((m) => ChannelsRepository.routeById(m, channelId));
    if (!channel || channel.kind !== 'whatsapp') {
      this.metrics.webhook(null, 'whatsapp', 'unauthorized');
      throw refused();
    }
    const { webhookSecret } = await this.secrets.open(channel.tenantId, channel.id, channel.configKeyId, channel.config);
    if (mode !== 'subscribe' || !sameSecret(verifyToken, webhookSecret)) {
      this.metrics.webhook(channel.id, 'whatsapp', 'unauthorized');
      throw refused();
    }
    if (!challenge || !/^[A-Za-z0-9_-]{1,200}$/.test(challenge)) {
      throw new ProblemException({ status: 400, type: 'validation-failed', title: 'Bad Request', detail: 'hub.challenge must be 1–200 letters, digits, _ or -.', errors: [{ field: 'hub.challenge', message: 'is missing or malformed' }] });
    }
    return challenge;
  }
}
