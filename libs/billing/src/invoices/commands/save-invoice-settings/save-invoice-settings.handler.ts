import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { InvoicesRepository } from '../../repositories/invoices.repository';
import type { InvoiceSettings } from '../../repositories/invoices.sql';
import { SaveInvoiceSettingsCommand } from './save-invoice-settings.command';

@CommandHandler(SaveInvoiceSettingsCommand)
export class SaveInvoiceSettingsHandler implements ICommandHandler<SaveInvoiceSettingsCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly invoices: InvoicesRepository,
  ) {}

  execute({ context, input, logo }: SaveInvoiceSettingsCommand): Promise<InvoiceSettings> {
    return this.tx.run(context, async (tx) => {
      const before = await this.invoices.settings(tx);
      const after = await this.invoices.saveSettings(tx, {
        stripeAccountId: input.stripeAccountId,
        address: input.address,
        taxId: input.taxId,
        footer: input.footer,
        logo: logo === undefined ? before.logo : logo,
        dueDays: input.dueDays,
      });
      const summary = (s: InvoiceSettings) => ({ stripeAccountId: s.stripeAccountId, address: s.address, taxId: s.taxId, footer: s.footer, dueDays: s.dueDays, logo: s.logo ? `${s.logo.type}, ${s.logo.data.length} bytes` : null });
      await tx.audit({ action: 'billing.invoice_settings_changed', entityType: 'billing_invoice_settings', entityId: context.tenantId, before: summary(before), after: summary(after) });
      return after;
    });
  }
}
