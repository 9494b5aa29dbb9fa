import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/** The key that signs contact-form tokens, generated into platform_secrets by the migration; loaded once. */
@Injectable()
export class FormSigner {
  private key: Promise<Buffer> | null = null;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Call before opening a tenant transaction (the embedded database has one session). */
  ready(): Promise<Buffer> {
    this.key ??= this.load().catch((error: unknown) => {
      this.key = null;
      throw error;
    });
    return this.key;
  }

  private async load(): Promise<Buffer> {
    const rows: { value: string }[] = await this.dataSource.query(`SELECT value FROM platform_secrets WHERE name = 'contact_form_signing_key'`);
    if (!rows[0]) throw new Error('No contact-form signing key: run the migrations');
    return Buffer.from(rows[0].value, 'base64');
  }
}
