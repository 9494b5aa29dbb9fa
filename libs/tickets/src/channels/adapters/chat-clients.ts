import { Inject, Injectable } from '@nestjs/common';
import { createSafeFetch } from '@switchboard/platform';
import { channelsConfig, type ChannelsConfig } from '../channels.registration';
import type { ChannelSecrets } from '../domain/channel-config';
import { TelegramAdapter, type TelegramConfig } from './telegram.adapter';
import { WhatsAppAdapter, type WhatsAppConfig } from './whatsapp.adapter';

/**
 * The chat adapters and their per-channel configuration. Every call to a provider goes through the
 * platform's outbound client (address policy, pinned resolution, timeouts, a response size cap).
 */
@Injectable()
export class ChatClients {
  readonly telegram = new TelegramAdapter();
  readonly whatsapp = new WhatsAppAdapter();
  private readonly fetch: typeof fetch;

  constructor(@Inject(channelsConfig.token) private readonly config: ChannelsConfig) {
    this.fetch = createSafeFetch({
      allowPrivate: config.CHANNELS_ALLOW_PRIVATE_CHAT_API,
      timeoutMs: config.CHANNELS_CHAT_API_TIMEOUT_MS,
      connectTimeoutMs: Math.min(10_000, config.CHANNELS_CHAT_API_TIMEOUT_MS),
      maxResponseBytes: config.CHANNELS_CHAT_FILE_MAX_BYTES + 64 * 1024,
    });
  }

  telegramConfig(secrets: ChannelSecrets): TelegramConfig {
    if (!secrets.botToken) throw new Error('The Telegram channel has no bot token');
    return {
      apiUrl: this.config.CHANNELS_TELEGRAM_API_URL,
      botToken: secrets.botToken,
      fetch: this.fetch,
      maxFileBytes: this.config.CHANNELS_CHAT_FILE_MAX_BYTES,
      retryAfterMaxMs: this.config.CHANNELS_RETRY_AFTER_MAX_MS,
    };
  }

  whatsappConfig(secrets: ChannelSecrets): WhatsAppConfig {
    if (!secrets.whatsapp) throw new Error('The WhatsApp channel has no Cloud API credentials');
    return {
      apiUrl: this.config.CHANNELS_WHATSAPP_API_URL,
      accessToken: secrets.whatsapp.accessToken,
      phoneNumberId: secrets.whatsapp.phoneNumberId,
      fetch: this.fetch,
      maxFileBytes: this.config.CHANNELS_CHAT_FILE_MAX_BYTES,
      retryAfterMaxMs: this.config.CHANNELS_RETRY_AFTER_MAX_MS,
    };
  }
}
