import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { SecretBox, secretHint } from '@switchboard/platform';
import type { DataSource } from 'typeorm';
import { channelsConfig, type ChannelsConfig } from '../channels.registration';
import type { ChannelSecrets } from '../domain/channel-config';

/** Encrypts and decrypts channel secrets, bound to their tenant and channel. */
@Injectable()
export class ChannelSecretsService {
  private box: Promise<SecretBox> | null = null;

  constructor(
    @Inject(channelsConfig.token) private readonly config: ChannelsConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** Loaded on first use (not at boot), so a process that never touches a channel never reads the key. */
  private keys(): Promise<SecretBox> {
    this.box ??= this.load().catch((error: unknown) => {
      this.box = null;
      throw error;
    });
    return this.box;
  }

  private async load(): Promise<SecretBox> {
    const configured = this.config.CHANNELS_ENCRYPTION_KEYS;
    if (configured && configured.length > 0) {
      return new SecretBox(configured.map((entry) => ({ id: entry.split(':')[0]!, key: Buffer.from(entry.split(':')[1]!, 'base64') })), 'CHANNELS_ENCRYPTION_KEYS');
    }
    const rows: { value: string }[] = await this.dataSource.query(`SELECT value FROM platform_secrets WHERE name = 'channels_encryption_key'`);
    if (!rows[0]) throw new Error('No channel encryption key: run the migrations or set CHANNELS_ENCRYPTION_KEYS');
    return new SecretBox([{ id: 'db', key: Buffer.from(rows[0].value, 'base64') }], 'CHANNELS_ENCRYPTION_KEYS');
  }

  /**
   * Call before opening a tenant transaction in which secrets are sealed or opened: the first load
   * reads platform_secrets on a pool connection, which must not wait behind the caller's own
   * transaction (the embedded database has one session).
   */
  async ready(): Promise<void> {
    await this.keys();
  }

  async seal(tenantId: string, channelId: string, secrets: ChannelSecrets): Promise<{ keyId: string; blob: Buffer }> {
    return (await this.keys()).encrypt(JSON.stringify(secrets), `${tenantId}:${channelId}`);
  }

  async open(tenantId: string, channelId: string, keyId: string, blob: Buffer): Promise<ChannelSecrets> {
    return JSON.parse((await this.keys()).decrypt(keyId, blob, `${tenantId}:${channelId}`)) as ChannelSecrets;
  }

  static newWebhookSecret(): string {
    return `whsec_${randomBytes(24).toString('base64url')}`;
  }

  static hint(secret: string): string {
    return secretHint(secret);
  }
}
