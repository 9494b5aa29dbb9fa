import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { SecretBox, secretHint } from '@switchboard/platform';
import type { DataSource } from 'typeorm';
import { integrationsConfig, type IntegrationsConfig } from '../integrations.context';
import type { SealedSecrets } from '../repositories/webhooks.sql';

/** Seals and opens endpoint secrets with the SecretBox, bound to their tenant and endpoint. */
@Injectable()
export class WebhookSecrets {
  private box: Promise<SecretBox> | null = null;

  constructor(
    @Inject(integrationsConfig.token) private readonly config: IntegrationsConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  private keys(): Promise<SecretBox> {
    this.box ??= this.load().catch((error: unknown) => {
      this.box = null;
      throw error;
    });
    return this.box;
  }

  private async load(): Promise<SecretBox> {
    const configured = this.config.WEBHOOKS_ENCRYPTION_KEYS;
    if (configured && configured.length > 0) {
      return new SecretBox(configured.map((entry) => ({ id: entry.split(':')[0]!, key: Buffer.from(entry.split(':')[1]!, 'base64') })), 'WEBHOOKS_ENCRYPTION_KEYS');
    }
    const rows: { value: string }[] = await this.dataSource.query(`SELECT value FROM platform_secrets WHERE name = 'webhooks_encryption_key'`);
    if (!rows[0]) throw new Error('No webhook encryption key: run the migrations or set WEBHOOKS_ENCRYPTION_KEYS');
    return new SecretBox([{ id: 'db', key: Buffer.from(rows[0].value, 'base64') }], 'WEBHOOKS_ENCRYPTION_KEYS');
  }

  /**
   * Call before opening a tenant transaction that seals or opens: the first load reads
   * platform_secrets on a pool connection, which must not wait behind the caller's own
   * transaction (the embedded database has one session).
   */
  async ready(): Promise<void> {
    await this.keys();
  }

  async seal(tenantId: string, endpointId: string, secret: string): Promise<{ keyId: string; blob: Buffer }> {
    return (await this.keys()).encrypt(secret, `${tenantId}:webhook:${endpointId}`);
  }

  /** The secrets that sign a delivery now: the current one first, then the previous while it is still valid. */
  async open(tenantId: string, endpointId: string, sealed: SealedSecrets): Promise<string[]> {
    const box = await this.keys();
    const aad = `${tenantId}:webhook:${endpointId}`;
    const secrets = [box.decrypt(sealed.current.keyId, sealed.current.blob, aad)];
    if (sealed.previous) secrets.push(box.decrypt(sealed.previous.keyId, sealed.previous.blob, aad));
    return secrets;
  }

  static hint(secret: string): string {
    return secretHint(secret);
  }
}
