import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { TenantTransaction } from '@switchboard/platform';
import { tenancyConfig, type TenancyConfig } from '../tenancy.context';

const VERSION = 'v1';

/** AES-256-GCM with the tenant id as associated data: a sealed value copied to another tenant's row does not open. */
export function seal(key: Buffer, tenantId: string, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(tenantId, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
}

export function open(key: Buffer, tenantId: string, sealed: string): string {
  const [version, iv, tag, body] = sealed.split('.');
  if (version !== VERSION || !iv || !tag || body === undefined) throw new Error('Not a sealed SSO secret');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(tenantId, 'utf8'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
}

/**
 * The local adapter for sealing identity-provider secrets (ADR 0033). Kept to this one file so it
 * can be repointed at the platform's shared secret box once there is one.
 */
@Injectable()
export class SsoSecrets {
  private key: Promise<Buffer> | undefined;

  constructor(
    private readonly tx: TenantTransaction,
    @Inject(tenancyConfig.token) private readonly config: TenancyConfig,
  ) {}

  async seal(tenantId: string, plaintext: string): Promise<string> {
    return seal(await this.keyOnce(), tenantId, plaintext);
  }

  async open(tenantId: string, sealed: string): Promise<string> {
    return open(await this.keyOnce(), tenantId, sealed);
  }

  private keyOnce(): Promise<Buffer> {
    this.key ??= this.loadKey().catch((error: unknown) => {
      this.key = undefined;
      throw error;
    });
    return this.key;
  }

  private async loadKey(): Promise<Buffer> {
    if (this.config.SSO_SECRET_KEY) return Buffer.from(this.config.SSO_SECRET_KEY, 'base64');
    const rows: { value: string }[] = await this.tx.runAsSystem((m) => m.query(`SELECT value FROM platform_secrets WHERE name = 'sso_secret_key'`));
    if (!rows[0]) throw new Error('No SSO secret key: set SSO_SECRET_KEY or run the migrations');
    return Buffer.from(rows[0].value, 'base64');
  }
}
