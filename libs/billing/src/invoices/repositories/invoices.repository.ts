import { Injectable } from '@nestjs/common';
import type { Statement, TenantTx } from '@switchboard/platform';
import type { InvoiceKind, PaymentMethod } from '../domain/invoice';
import type { InvoiceTotals, PricedLine } from '../domain/money';
import { invoicesSql, toInvoiceView, toLine, toSettings, type InvoiceFilter, type InvoiceRow, type InvoiceSettings, type InvoiceView, type LineRow, type NewInvoice, type SettingsRow } from './invoices.sql';

/** TypeORM answers an INSERT/UPDATE … RETURNING with [rows, count] and a SELECT with rows. */
function rowsOf<R>(result: unknown): R[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as R[];
  return result as R[];
}

const run = async <R>(tx: TenantTx, s: Statement): Promise<R[]> => rowsOf<R>(await tx.manager.query(s.sql, s.params as unknown[] | undefined));

/** Invoices, credit notes, their lines, number counters and invoicing settings (SQL in `invoices.sql.ts`). */
@Injectable()
export class InvoicesRepository {
  async find(tx: TenantTx, id: string, lock = false): Promise<InvoiceView | undefined> {
    const [row] = await run<InvoiceRow>(tx, invoicesSql.find(tx.tenantId, id, lock));
    if (!row) return undefined;
    return toInvoiceView(row, (await run<LineRow>(tx, invoicesSql.lines(tx.tenantId, [id]))).map(toLine));
  }

  async list(tx: TenantTx, filter: InvoiceFilter, limit: number): Promise<InvoiceView[]> {
    const rows = await run<InvoiceRow>(tx, invoicesSql.list(tx.tenantId, filter, limit));
    if (rows.length === 0) return [];
    const lines = await run<LineRow>(tx, invoicesSql.lines(tx.tenantId, rows.map((r) => r.id)));
    const byInvoice = new Map<string, PricedLine[]>();
    for (const line of lines) byInvoice.set(line.invoice_id, [...(byInvoice.get(line.invoice_id) ?? []), toLine(line)]);
    return rows.map((r) => toInvoiceView(r, byInvoice.get(r.id) ?? []));
  }

  /** The new document's id, or undefined when the job already has its invoice. */
  async create(tx: TenantTx, invoice: NewInvoice, lines: readonly PricedLine[]): Promise<string | undefined> {
    const [row] = await run<{ id: string }>(tx, invoicesSql.insert(tx.tenantId, invoice));
    if (!row) return undefined;
    if (lines.length > 0) await run(tx, invoicesSql.insertLines(tx.tenantId, row.id, lines));
    return row.id;
  }

  async replaceDraft(tx: TenantTx, id: string, lines: readonly PricedLine[], change: { totals: InvoiceTotals; memo: string | null; dueDays: number }): Promise<boolean> {
    const updated = await run(tx, invoicesSql.updateDraft(tx.tenantId, id, change));
    if (updated.length === 0) return false;
    await run(tx, invoicesSql.deleteLines(tx.tenantId, id));
    if (lines.length > 0) await run(tx, invoicesSql.insertLines(tx.tenantId, id, lines));
    return true;
  }

  /** Takes the next number of the series and year; the counter row stays locked until commit. */
  async nextSequence(tx: TenantTx, series: string, year: number): Promise<number> {
    const [row] = await run<{ last: number }>(tx, invoicesSql.nextSequence(tx.tenantId, series, year));
    return Number(row!.last);
  }

  async finalise(tx: TenantTx, id: string, number: string): Promise<boolean> {
    return (await run(tx, invoicesSql.finalise(tx.tenantId, id, number))).length === 1;
  }

  async setPaymentLink(tx: TenantTx, id: string, linkId: string, url: string): Promise<boolean> {
    return (await run(tx, invoicesSql.paymentLink(tx.tenantId, id, linkId, url))).length === 1;
  }

  async markSent(tx: TenantTx, id: string, to: string): Promise<boolean> {
    return (await run(tx, invoicesSql.sent(tx.tenantId, id, to))).length === 1;
  }

  async markPaid(tx: TenantTx, id: string, method: PaymentMethod, reference: string | null): Promise<boolean> {
    return (await run(tx, invoicesSql.paid(tx.tenantId, id, method, reference))).length === 1;
  }

  async markVoid(tx: TenantTx, id: string, reason: string | null): Promise<boolean> {
    return (await run(tx, invoicesSql.void(tx.tenantId, id, reason))).length === 1;
  }

  async settings(tx: TenantTx): Promise<InvoiceSettings> {
    const [row] = await run<SettingsRow>(tx, invoicesSql.settings(tx.tenantId));
    return toSettings(row);
  }

  async saveSettings(tx: TenantTx, settings: Omit<InvoiceSettings, 'updatedAt' | 'version'>): Promise<InvoiceSettings> {
    await run(tx, invoicesSql.saveSettings(tx.tenantId, settings));
    return this.settings(tx);
  }
}

export type { InvoiceKind };
