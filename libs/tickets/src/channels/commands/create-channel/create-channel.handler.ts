import { randomUUID } from 'node:crypto';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ProblemException, TenantTransaction } from '@switchboard/platform';
import { ChannelSecretsService } from '../../adapters/channel-secrets.service';
import { baseAddress } from '../../domain/email-threading';
import { ChannelsRepository, channelView } from '../../repositories/channels.repository';
import { CreateChannelCommand, type CreatedChannel } from './create-channel.command';

export const addressTaken = (address: string) =>
  new ProblemException({
    status: 409,
    type: 'channel-address-taken',
    title: 'Conflict',
    detail: `The address ${address} already receives mail for a channel; each inbound address routes to exactly one channel.`,
    errors: [{ field: 'address', message: 'is already in use' }],
  });

/** A new channel with a fresh webhook secret; its secrets are sealed before they reach the database. */
@CommandHandler(CreateChannelCommand)
export class CreateChannelHandler implements ICommandHandler<CreateChannelCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly channels: ChannelsRepository,
    private readonly secrets: ChannelSecretsService,
  ) {}

  async execute({ context, input }: CreateChannelCommand): Promise<CreatedChannel> {
    if (input.kind !== 'email' && input.kind !== 'telegram') {
      throw new ProblemException({
        status: 422,
        type: 'channel-kind-unavailable',
        title: 'Unprocessable Content',
        detail: `Channels of kind "${input.kind}" are not available yet; email and telegram are.`,
        errors: [{ field: 'kind', message: 'only email and telegram are available' }],
      });
    }
    let address: string | null = null;
    if (input.kind === 'email') {
      if (!input.address) throw new ProblemException({ status: 400, type: 'validation-failed', title: 'Bad Request', detail: 'An email channel needs its inbound address.', errors: [{ field: 'address', message: 'is required for email' }] });
      address = baseAddress(input.address);
      if (address !== input.address.trim().toLowerCase()) {
        throw new ProblemException({ status: 400, type: 'validation-failed', title: 'Bad Request', detail: 'The inbound address may not carry a +tag; replies use support+t_<token>@… on their own.', errors: [{ field: 'address', message: 'must not contain +' }] });
      }
      if (await this.tx.runAsSystem((m) => ChannelsRepository.routeByAddress(m, address!))) throw addressTaken(address);
    } else if (!input.botToken || input.address) {
      throw new ProblemException({
        status: 400,
        type: 'validation-failed',
        title: 'Bad Request',
        detail: 'A Telegram channel needs its bot token and has no address.',
        errors: [{ field: input.botToken ? 'address' : 'botToken', message: input.botToken ? 'is for email channels' : 'is required for telegram' }],
      });
    }
    const id = randomUUID();
    const webhookSecret = ChannelSecretsService.newWebhookSecret();
    const sealed = await this.secrets.seal(context.tenantId, id, { webhookSecret, ...(input.smtp ? { smtp: input.smtp } : {}), ...(input.botToken ? { botToken: input.botToken } : {}) });
    try {
      return await this.tx.run(context, async (tx) => {
        const record = await this.channels.insertChannel(tx, {
          id,
          kind: input.kind,
          name: input.name.trim(),
          address,
          fromName: input.fromName ?? null,
          signature: input.signature ?? null,
          configKeyId: sealed.keyId,
          config: sealed.blob,
        });
        const channel = channelView(record);
        await tx.audit({
          action: 'channel.created',
          entityType: 'channel',
          entityId: id,
          // Secrets never go into the audit log: only that they exist.
          after: { ...channel, webhookSecret: ChannelSecretsService.hint(webhookSecret), ...(input.kind === 'email' ? { smtp: input.smtp ? `${input.smtp.host}:${input.smtp.port}` : 'platform default' } : { botToken: ChannelSecretsService.hint(input.botToken!) }) },
        });
        return { channel, webhookSecret };
      });
    } catch (error) {
      if ((error as { code?: string }).code === '23505' && address) throw addressTaken(address);
      throw error;
    }
  }
}
