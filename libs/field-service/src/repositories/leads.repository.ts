import { Injectable } from '@nestjs/common';
import type { TenantTx } from '@switchboard/platform';
import type { LeadExtraction, LeadFields, LeadStatus, LeadSuggestion } from '../domain/leads';
import { execute } from './execute';
import { leadsSql, toLeadView, type LeadRow, type LeadView, type NewLead } from './leads.sql';

/** Field-service leads (SQL in `leads.sql.ts`); every method runs in the handler's transaction. Changes answer undefined when the lead is no longer new. */
@Injectable()
export class LeadsRepository {
  async find(tx: TenantTx, id: string, forUpdate = false): Promise<LeadView | undefined> {
    const [row] = await execute<LeadRow[]>(tx, leadsSql.find(tx.tenantId, id, forUpdate));
    return row ? toLeadView(row) : undefined;
  }

  async insert(tx: TenantTx, lead: NewLead): Promise<LeadView> {
    const [row] = await execute<LeadRow[]>(tx, leadsSql.insert(tx.tenantId, lead, tx.context.actorId));
    return toLeadView(row);
  }

  async saveSuggestions(tx: TenantTx, id: string, suggestions: LeadSuggestion[], extraction: LeadExtraction): Promise<LeadView | undefined> {
    const [row] = await execute<LeadRow[]>(tx, leadsSql.saveSuggestions(tx.tenantId, id, suggestions, extraction));
    return row ? toLeadView(row) : undefined;
  }

  async convert(tx: TenantTx, id: string, links: { contactId: string; addressId: string | null; jobId: string | null; fields: LeadFields; serviceId: string | null }): Promise<LeadView | undefined> {
    const [row] = await execute<LeadRow[]>(tx, leadsSql.convert(tx.tenantId, id, links, tx.context.actorId));
    return row ? toLeadView(row) : undefined;
  }

  async dismiss(tx: TenantTx, id: string, reason: string | null): Promise<LeadView | undefined> {
    const [row] = await execute<LeadRow[]>(tx, leadsSql.dismiss(tx.tenantId, id, reason));
    return row ? toLeadView(row) : undefined;
  }

  async list(tx: TenantTx, page: { limit: number; after?: [string, string]; status?: LeadStatus }): Promise<LeadView[]> {
    return (await execute<LeadRow[]>(tx, leadsSql.list(tx.tenantId, page))).map(toLeadView);
  }
}
