import { Query } from '@nestjs/cqrs';

/**
 * Meta's webhook verification handshake (GET with hub.mode=subscribe, hub.verify_token,
 * hub.challenge): answers the challenge when the token is the channel's webhook secret.
 */
export class VerifyWebhookSubscriptionQuery extends Query<string> {
  constructor(
    readonly channelId: string,
    readonly mode: string | undefined,
    readonly verifyToken: string | undefined,
    readonly challenge: string | undefined,
  ) {
    super();
  }
}
