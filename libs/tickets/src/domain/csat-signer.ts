import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { channelsConfig, type ChannelsConfig } from '../channels/channels.registration';
import { signCsatToken, verifyCsatToken, type CsatTokenPayload } from './csat';

/** Signs and verifies survey links with CSAT_SIGNING_KEY, or the key the migration generated into platform_secrets. */
@Injectable()
export class CsatSigner {
  private key: Promise<Buffer> | null = null;

  constructor(
    @Inject(channelsConfig.token) private readonly config: ChannelsConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** Loaded on first use, on a pool connection: call before opening a tenant transaction (the embedded database has one session). */
  ready(): Promise<Buffer> {
    this.key ??= this.load().catch((error: unknown) => {
      this.key = null;
      throw error;
    });
    return this.key;
  }

  private async load(): Promise<Buffer> {
    if (this.config.CSAT_SIGNING_KEY) return Buffer.from(this.config.CSAT_SIGNING_KEY, 'base64');
    const rows: { value: string }[] = await this.dataSource.query(`SELECT value FROM platform_secrets WHERE name = 'csat_signing_key'`);
    if (!rows[0]) throw new Error('No CSAT signing key: run the migrations or set CSAT_SIGNING_KEY');
    return Buffer.from(rows[0].value, 'base64');
  }

  async sign(payload: CsatTokenPayload): Promise<string> {
    return signCsatToken(await this.ready(), payload);
  }

  async verify(token: string): Promise<CsatTokenPayload | null> {
    return verifyCsatToken(await this.ready(), token);
  }

  link(token: string): string {
    return `${this.config.CSAT_LINK_BASE_URL.replace(/\/+$/, '')}/${token}`;
  }
}
