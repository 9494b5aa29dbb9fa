import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { SecretBox } from '@switchboard/platform';
import type { DataSource } from 'typeorm';
import { tenancyConfig, type TenancyConfig } from '../tenancy.context';

/**
 * TOTP secrets at rest: AES-256-GCM (platform's SecretBox) with the user id as associated data,
 * so a ciphertext copied to another user's row does not decrypt. Keys from AUTH_ENCRYPTION_KEYS,
 * or the one the migration generated into platform_secrets.
 */
@Injectable()
export class TotpSecrets implements OnModuleInit {
  private box!: SecretBox;

  constructor(
    @Inject(tenancyConfig.token) private readonly config: TenancyConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async onModuleInit(): Promise<void> {
    const configured = this.config.AUTH_ENCRYPTION_KEYS;
    if (configured && configured.length > 0) {
      this.box = new SecretBox(
        configured.map((entry) => ({ id: entry.split(':')[0]!, key: Buffer.from(entry.split(':')[1]!, 'base64') })),
        'AUTH_ENCRYPTION_KEYS',
      );
      return;
    }
    const rows: { value: string }[] = await this.dataSource.query(`SELECT value FROM platform_secrets WHERE name = 'auth_encryption_key'`);
    if (!rows[0]) throw new Error('No encryption key for TOTP secrets: run the migrations or set AUTH_ENCRYPTION_KEYS');
    this.box = new SecretBox([{ id: 'db', key: Buffer.from(rows[0].value, 'base64') }], 'AUTH_ENCRYPTION_KEYS');
  }

  seal(userId: string, secret: string): { keyId: string; blob: Buffer } {
    return this.box.encrypt(secret, `totp|${userId}`);
  }

  open(userId: string, keyId: string, blob: Buffer): string {
    return this.box.decrypt(keyId, blob, `totp|${userId}`);
  }
}
