import { randomBytes } from 'node:crypto';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { channelsConfig, type ChannelsConfig } from '../channels.registration';
import type { ChannelSecrets } from '../domain/channel-config';
import { ChannelSecretBox, secretHint } from './secret-box';

/** Encrypts and decrypts channel secrets, bound to their tenant and channel. */
@Injectable()
export class ChannelSecretsService implements OnModuleInit {
  private box!: ChannelSecretBox;

  constructor(
    @Inject(channelsConfig.token) private readonly config: ChannelsConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async onModuleInit(): Promise<void> {
    const configured = this.config.CHANNELS_ENCRYPTION_KEYS;
    if (configured && configured.length > 0) {
      this.box = new ChannelSecretBox(configured.map((entry) => ({ id: entry.split(':')[0]!, key: Buffer.from(entry.split(':')[1]!, 'base64') })));
      return;
    }
    const rows: { value: string }[] = await this.dataSource.query(`SELECT value FROM platform_secrets WHERE name = 'channels_encryption_key'`);
    if (!rows[0]) throw new Error('No channel encryption key: run the migrations or set CHANNELS_ENCRYPTION_KEYS');
    this.box = new ChannelSecretBox([{ id: 'db', key: Buffer.from(rows[0].value, 'base64') }]);
  }

  seal(tenantId: string, channelId: string, secrets: ChannelSecrets): { keyId: string; blob: Buffer } {
    return this.box.encrypt(JSON.stringify(secrets), `${tenantId}:${channelId}`);
  }

  open(tenantId: string, channelId: string, keyId: string, blob: Buffer): ChannelSecrets {
    return JSON.parse(this.box.decrypt(keyId, blob, `${tenantId}:${channelId}`)) as ChannelSecrets;
  }

  static newWebhookSecret(): string {
    return `whsec_${randomBytes(24).toString('base64url')}`;
  }

  static hint(secret: string): string {
    return secretHint(secret);
  }
}
