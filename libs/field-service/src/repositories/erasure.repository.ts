import { Injectable } from '@nestjs/common';
import { redactBatch, type RedactableTable, type TenantTx } from '@switchboard/platform';
import { JOB_COLUMNS, toJobView, type JobRow, type JobView } from './jobs.sql';
import { toLeadView, type LeadRow, type LeadView } from './leads.sql';
import { toMessageView, type MessageRow, type MessageView } from './messages.sql';

/** What a lead's notes say after its contact was erased. */
export const ERASED_LEAD_NOTES = '[erased at the customer’s request]';

/** Field-service tables whose text may carry a customer's data (ADR 0031). Visits, line items' prices and times hold none. */
export const FIELD_SERVICE_REDACTABLE: readonly RedactableTable[] = [
  { table: 'fs_jobs', text: ['title', 'description'] },
  { table: 'fs_job_notes', text: ['body'] },
  { table: 'fs_job_history', json: ['changes'] },
  { table: 'fs_line_items', text: ['description'] },
  { table: 'fs_close_outs', text: ['notes', 'extraction_detail'], json: ['suggestions', 'attributes', 'next_action'] },
  { table: 'fs_leads', text: ['notes', 'extraction_detail', 'dismissed_reason'], json: ['fields', 'suggestions'] },
  { table: 'fs_messages', text: ['recipient', 'subject', 'error'] },
];

/** Erasure (each idempotent by its predicate) and access-request statements of the field-service context. */
@Injectable()
export class FieldServiceErasureRepository {
  /** Pending customer messages to the contact will not be sent. */
  async cancelPendingMessages(tx: TenantTx, contactId: string): Promise<number> {
    const rows: unknown[] = await tx.manager.query(
      `WITH changed AS (UPDATE fs_messages SET status = 'cancelled', cancelled_at = now(), updated_at = now(), error = 'The customer was erased.'
        WHERE tenant_id = $1 AND contact_id = $2 AND status = 'pending' RETURNING 1) SELECT 1 FROM changed`,
      [tx.tenantId, contactId],
    );
    return rows.length;
  }

  /** The recipient addresses of every message to the contact (sent or not): they are the contact's email. */
  async clearRecipients(tx: TenantTx, contactId: string): Promise<number> {
    const rows: unknown[] = await tx.manager.query(
      `WITH changed AS (UPDATE fs_messages SET recipient = NULL, updated_at = now() WHERE tenant_id = $1 AND contact_id = $2 AND recipient IS NOT NULL RETURNING 1) SELECT 1 FROM changed`,
      [tx.tenantId, contactId],
    );
    return rows.length;
  }

  /** Leads that became this contact: what the prospect wrote and what was extracted from it goes. */
  async eraseLeads(tx: TenantTx, contactId: string): Promise<number> {
    const rows: unknown[] = await tx.manager.query(
      `WITH changed AS (UPDATE fs_leads SET notes = $3, fields = '{}', suggestions = NULL, extraction_detail = NULL, dismissed_reason = NULL, updated_at = now()
        WHERE tenant_id = $1 AND contact_id = $2 AND notes <> $3 RETURNING 1) SELECT 1 FROM changed`,
      [tx.tenantId, contactId, ERASED_LEAD_NOTES],
    );
    return rows.length;
  }

  async jobsOf(tx: TenantTx, contactId: string): Promise<JobView[]> {
    const rows: JobRow[] = await tx.manager.query(`SELECT ${JOB_COLUMNS} FROM fs_jobs WHERE tenant_id = $1 AND contact_id = $2 ORDER BY created_at, id`, [tx.tenantId, contactId]);
    return rows.map(toJobView);
  }

  async leadsOf(tx: TenantTx, contactId: string): Promise<LeadView[]> {
    const rows: LeadRow[] = await tx.manager.query(`SELECT * FROM fs_leads WHERE tenant_id = $1 AND contact_id = $2 ORDER BY created_at, id`, [tx.tenantId, contactId]);
    return rows.map(toLeadView);
  }

  async messagesTo(tx: TenantTx, contactId: string): Promise<MessageView[]> {
    const rows: MessageRow[] = await tx.manager.query(`SELECT * FROM fs_messages WHERE tenant_id = $1 AND contact_id = $2 ORDER BY send_at, id`, [tx.tenantId, contactId]);
    return rows.map(toMessageView);
  }

  redact(tx: TenantTx, spec: RedactableTable, pattern: string): Promise<number> {
    return redactBatch(tx.manager, tx.tenantId, spec, pattern);
  }
}
