import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import { invalid } from '../../domain/money';
import type { InvoiceSettings } from '../../repositories/invoices.sql';

export interface InvoiceSettingsInput {
  stripeAccountId: string | null;
  address: string | null;
  taxId: string | null;
  footer: string | null;
  /** A PNG or JPEG as base64, at most 256 KiB; null removes it; absent keeps it. */
  logo?: string | null;
  dueDays: number;
}

const MAX_LOGO_BYTES = 262_144;

/** The logo's bytes and type, read from its first bytes (never from what the client claims). */
export function readLogo(base64: string): { type: 'image/png' | 'image/jpeg'; data: Buffer } {
  const data = Buffer.from(base64, 'base64');
  if (data.length === 0 || data.length > MAX_LOGO_BYTES) throw invalid([{ field: 'logo', message: `must be a PNG or JPEG of at most ${MAX_LOGO_BYTES} bytes, base64-encoded` }]);
  if (data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return { type: 'image/png', data };
  if (data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return { type: 'image/jpeg', data };
  throw invalid([{ field: 'logo', message: 'must be a PNG or JPEG image' }]);
}

/** The tenant's invoicing settings, replaced as a whole (the logo kept when not sent). */
export class SaveInvoiceSettingsCommand extends Command<InvoiceSettings> {
  readonly logo: InvoiceSettings['logo'] | undefined;

  constructor(
    readonly context: CommandContext,
    readonly input: InvoiceSettingsInput,
  ) {
    super();
    this.logo = input.logo === undefined ? undefined : input.logo === null ? null : readLogo(input.logo);
  }
}
