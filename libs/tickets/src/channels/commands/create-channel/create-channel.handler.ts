import { randomUUID } from 'node:crypto';
import { Inject, Optional } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { PLAN_FEATURE_POLICY, ProblemException, requirePlanFeature, TenantTransaction, type PlanFeaturePolicy } from '@switchboard/platform';
import { MESSAGING_CHANNELS } from '../../../domain/plan-feature.port';
import { ChannelSecretsService } from '../../adapters/channel-secrets.service';
import { baseAddress } from '../../domain/email-threading';
import { newPublicKey, widgetSettings } from '../../domain/widget';
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

const invalid = (field: string, message: string, detail: string) => new ProblemException({ status: 400, type: 'validation-failed', title: 'Bad Request', detail, errors: [{ field, message }] });

/** What the audit log may say about a new channel's secrets: that they exist, never what they are. */
function secretsForAudit(input: CreateChannelCommand['input']): Record<string, string> {
  if (input.kind === 'telegram') return { botToken: ChannelSecretsService.hint(input.botToken!) };
  if (input.kind === 'whatsapp') return { whatsapp: `phone number ${input.whatsapp!.phoneNumberId}` };
  if (input.kind === 'web') return {};
  return { smtp: input.smtp ? `${input.smtp.host}:${input.smtp.port}` : 'platform default' };
}

/** A new channel with a fresh webhook secret; its secrets are sealed before they reach the database. */
@CommandHandler(CreateChannelCommand)
export class CreateChannelHandler implements ICommandHandler<CreateChannelCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly channels: ChannelsRepository,
    private readonly secrets: ChannelSecretsService,
    @Optional() @Inject(PLAN_FEATURE_POLICY) private readonly plans?: PlanFeaturePolicy,
  ) {}

  async execute({ context, input }: CreateChannelCommand): Promise<CreatedChannel> {
    await requirePlanFeature(this.plans, context.tenantId, MESSAGING_CHANNELS);
    if (input.kind === 'web' && !input.widget?.allowedOrigins?.length) {
      throw invalid('widget.allowedOrigins', 'is required for web', 'A web chat channel needs the origins of the pages that embed it (widget.allowedOrigins, e.g. ["https://www.acme.example"]).');
    }
    if (input.kind !== 'web' && input.widget) throw invalid('widget', 'is for web channels', 'Only web chat channels have widget settings.');
    const widget = input.kind === 'web' ? widgetSettings(input.widget!) : null;
    let address: string | null = null;
    if (input.kind === 'email') {
      if (!input.address) throw invalid('address', 'is required for email', 'An email channel needs its inbound address.');
      address = baseAddress(input.address);
      if (address !== input.address.trim().toLowerCase()) throw invalid('address', 'must not contain +', 'The inbound address may not carry a +tag; replies use support+t_<token>@… on their own.');
      if (await this.tx.runAsSystem((m) => ChannelsRepository.routeByAddress(m, address!))) throw addressTaken(address);
    } else if (input.address) {
      throw invalid('address', 'is for email channels', 'Only email channels have an inbound address.');
    }
    if (input.kind === 'telegram' && !input.botToken) throw invalid('botToken', 'is required for telegram', 'A Telegram channel needs its bot token.');
    if (input.kind !== 'telegram' && input.botToken) throw invalid('botToken', 'is for telegram channels', 'Only Telegram channels have a bot token.');
    if (input.kind === 'whatsapp' && !input.whatsapp) throw invalid('whatsapp', 'is required for whatsapp', 'A WhatsApp channel needs its Cloud API credentials.');
    if (input.kind !== 'whatsapp' && input.whatsapp) throw invalid('whatsapp', 'is for whatsapp channels', 'Only WhatsApp channels have Cloud API credentials.');
    const id = randomUUID();
    const webhookSecret = ChannelSecretsService.newWebhookSecret();
    const sealed = await this.secrets.seal(context.tenantId, id, { webhookSecret, ...(input.smtp ? { smtp: input.smtp } : {}), ...(input.botToken ? { botToken: input.botToken } : {}), ...(input.whatsapp ? { whatsapp: input.whatsapp } : {}) });
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
          publicKey: widget ? newPublicKey() : null,
          widget,
        });
        const channel = channelView(record);
        await tx.audit({
          action: 'channel.created',
          entityType: 'channel',
          entityId: id,
          // Secrets never go into the audit log: only that they exist.
          after: { ...channel, webhookSecret: ChannelSecretsService.hint(webhookSecret), ...secretsForAudit(input) },
        });
        return { channel, webhookSecret };
      });
    } catch (error) {
      if ((error as { code?: string }).code === '23505' && address) throw addressTaken(address);
      throw error;
    }
  }
}

