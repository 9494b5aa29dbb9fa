import { Injectable } from '@nestjs/common';
import type { TenantTx } from '@switchboard/platform';
import { rowsOf } from './channels.repository';

export interface MessageTemplateView {
  key: string;
  locale: string;
  subject: string | null;
  body: string;
  createdAt: string;
  updatedAt: string;
  version: number;
}

const COLUMNS = 'key, locale, subject, body, created_at, updated_at, version';
const toView = (r: Record<string, any>): MessageTemplateView => ({
  key: r.key,
  locale: r.locale,
  subject: r.subject,
  body: r.body,
  createdAt: new Date(r.created_at).toISOString(),
  updatedAt: new Date(r.updated_at).toISOString(),
  version: Number(r.version),
});

/** A tenant's message templates and UI string overrides; every method runs in the caller's transaction. */
@Injectable()
export class MessageTemplatesRepository {
  async list(tx: TenantTx, keyPrefix?: string): Promise<MessageTemplateView[]> {
    const rows = rowsOf<Record<string, any>[]>(
      await tx.manager.query(`SELECT ${COLUMNS} FROM message_templates WHERE tenant_id = $1 ${keyPrefix ? 'AND starts_with(key, $2)' : ''} ORDER BY key, locale LIMIT 1000`, keyPrefix ? [tx.tenantId, keyPrefix] : [tx.tenantId]),
    );
    return rows.map(toView);
  }

  async find(tx: TenantTx, key: string, locale: string, lock = false): Promise<MessageTemplateView | undefined> {
    const rows = rowsOf<Record<string, any>[]>(await tx.manager.query(`SELECT ${COLUMNS} FROM message_templates WHERE tenant_id = $1 AND key = $2 AND locale = $3${lock ? ' FOR UPDATE' : ''}`, [tx.tenantId, key, locale]));
    return rows[0] ? toView(rows[0]) : undefined;
  }

  /** The tenant's template for the first locale of the chain that has one. */
  async firstOf(tx: TenantTx, key: string, chain: readonly string[]): Promise<MessageTemplateView | undefined> {
    if (chain.length === 0) return undefined;
    const rows = rowsOf<Record<string, any>[]>(await tx.manager.query(`SELECT ${COLUMNS} FROM message_templates WHERE tenant_id = $1 AND key = $2 AND locale = ANY($3::text[])`, [tx.tenantId, key, [...chain]]));
    for (const locale of chain) {
      const hit = rows.find((r) => r.locale === locale);
      if (hit) return toView(hit);
    }
    return undefined;
  }

  async upsert(tx: TenantTx, t: { key: string; locale: string; subject: string | null; body: string }): Promise<MessageTemplateView> {
    const rows = rowsOf<Record<string, any>[]>(
      await tx.manager.query(
        `INSERT INTO message_templates AS t (tenant_id, key, locale, subject, body) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (tenant_id, key, locale) DO UPDATE SET subject = EXCLUDED.subject, body = EXCLUDED.body, updated_at = now(), version = t.version + 1
         RETURNING ${COLUMNS}`,
        [tx.tenantId, t.key, t.locale, t.subject, t.body],
      ),
    );
    return toView(rows[0]!);
  }

  async delete(tx: TenantTx, key: string, locale: string): Promise<boolean> {
    const rows = rowsOf<Record<string, any>[]>(await tx.manager.query(`DELETE FROM message_templates WHERE tenant_id = $1 AND key = $2 AND locale = $3 RETURNING key`, [tx.tenantId, key, locale]));
    return rows.length === 1;
  }
}
