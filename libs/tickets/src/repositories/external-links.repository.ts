import { Injectable } from '@nestjs/common';
import type { TenantTx } from '@switchboard/platform';
import { execute } from './execute';
import { externalLinksSql, toExternalLinkView, type ExternalLinkFields, type ExternalLinkView, type LinkRow } from './external-links.sql';

/** Links from tickets to work tracked elsewhere (SQL in `external-links.sql.ts`). */
@Injectable()
export class ExternalLinksRepository {
  async upsert(tx: TenantTx, ticketId: string, fields: ExternalLinkFields, by: string | null): Promise<{ link: ExternalLinkView; created: boolean }> {
    const [row] = await execute<LinkRow[]>(tx, externalLinksSql.upsert(tx.tenantId, ticketId, fields, by));
    return { link: toExternalLinkView(row!), created: row!.inserted === true };
  }

  async ofTicket(tx: TenantTx, ticketId: string): Promise<ExternalLinkView[]> {
    return (await execute<LinkRow[]>(tx, externalLinksSql.ofTicket(tx.tenantId, ticketId))).map(toExternalLinkView);
  }

  async delete(tx: TenantTx, ticketId: string, id: string): Promise<{ kind: string; system: string; external_id: string } | undefined> {
    return (await execute<{ kind: string; system: string; external_id: string }[]>(tx, externalLinksSql.delete(tx.tenantId, ticketId, id)))[0];
  }
}
