import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { CommandContext } from '../database/command-context';
import { TenantTransaction } from '../database/tenant-transaction';

/** What replaces an erased person's data in text that stays (message bodies, history, payloads). */
export const ERASED = '[erased]';
/** Rows rewritten per statement; each batch is its own short transaction. */
export const REDACTION_BATCH = 200;

export interface ErasureTerms {
  emails: string[];
  /** E.164 (`+442079460019`); matched with any separators between digits. */
  phones: string[];
  /** Chat ids and other external ids, matched literally. */
  others: string[];
  /** Full names, matched as whole words; shorter than 4 characters they are left (too many false hits). */
  names: string[];
}

const escapeRegex = (text: string) => text.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');

/**
 * One case-insensitive PostgreSQL regular expression (ARE) matching any of a person's terms, or
 * null when there is nothing to look for. The pattern itself is personal data: keep it only while
 * an erasure runs.
 */
export function erasurePattern(terms: ErasureTerms): string | null {
  const parts: string[] = [];
  for (const email of terms.emails) parts.push(escapeRegex(email));
  for (const phone of terms.phones) {
    const digits = phone.replace(/\D/g, '');
    if (digits.length < 6) continue;
    // "+44 20 7946 0019", "+44 (20) 7946-0019", "442079460019"
    parts.push(`\\+?${digits.split('').join('[\\s().-]*')}`);
  }
  for (const other of terms.others) if (other.trim().length >= 4) parts.push(escapeRegex(other.trim()));
  for (const name of terms.names) {
    const trimmed = name.trim();
    if (trimmed.length < 4) continue;
    parts.push(`\\m${trimmed.split(/\s+/).map(escapeRegex).join('\\s+')}\\M`);
  }
  return parts.length === 0 ? null : `(${parts.join('|')})`;
}

export interface RedactableTable {
  table: string;
  text?: readonly string[];
  json?: readonly string[];
  /** Extra predicate (SQL over the table's columns, no parameters). */
  where?: string;
}

/**
 * Rewrites up to `limit` rows of `tenantId` whose text or JSON columns match `pattern`, replacing
 * each match with `[erased]`. Idempotent by construction: a rewritten row no longer matches, so
 * calling it until it returns less than `limit` finishes the table, and a crash resumes cleanly.
 */
export async function redactBatch(manager: EntityManager, tenantId: string, spec: RedactableTable, pattern: string, limit = REDACTION_BATCH): Promise<number> {
  const text = spec.text ?? [];
  const json = spec.json ?? [];
  const matches = [...text.map((c) => `${c} ~* $2`), ...json.map((c) => `${c}::text ~* $2`)].join(' OR ');
  const sets = [...text.map((c) => `${c} = regexp_replace(${c}, $2, $3, 'gi')`), ...json.map((c) => `${c} = redact_jsonb(${c}, $2, $3)`)].join(', ');
  const extra = spec.where ? ` AND (${spec.where})` : '';
  // A top-level UPDATE answers [rows, count] through TypeORM; a CTE answers rows.
  const rows: { n: number }[] = await manager.query(
    `WITH batch AS (SELECT ctid FROM ${spec.table} WHERE tenant_id = $1${extra} AND (${matches}) LIMIT ${Number(limit)}),
          changed AS (UPDATE ${spec.table} SET ${sets} WHERE tenant_id = $1 AND ctid IN (SELECT ctid FROM batch) RETURNING 1)
     SELECT count(*)::int AS n FROM changed`,
    [tenantId, pattern, ERASED],
  );
  return rows[0]?.n ?? 0;
}

/** `redactBatch` until the table is clean; each batch in its own transaction from `run`. */
export async function redactAll(run: <T>(work: (manager: EntityManager) => Promise<T>) => Promise<T>, tenantId: string, spec: RedactableTable, pattern: string): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await run((manager) => redactBatch(manager, tenantId, spec, pattern));
    total += n;
    if (n < REDACTION_BATCH) return total;
  }
}

/**
 * The platform's own records that may carry a person's data: outbox payloads (including those
 * still inside the replay window: an erased person must not come back through a replay), audit
 * entries' before/after and client details, and stored Idempotency-Key responses.
 */
const PLATFORM_RECORDS: readonly RedactableTable[] = [
  { table: 'outbox', json: ['payload'] },
  { table: 'audit_logs', json: ['changes'] },
  { table: 'idempotency_keys', text: ['response_body'], json: ['response_headers'] },
];

/**
 * Redacts a person from the platform's records of one tenant. These tables are append-only for
 * the application role, so this runs as the owning role with an explicit tenant filter in every
 * statement (RLS does not apply there).
 */
@Injectable()
export class PlatformRecordsRedactor {
  constructor(private readonly tx: TenantTransaction) {}

  async redact(context: CommandContext, pattern: string): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const spec of PLATFORM_RECORDS) {
      counts[spec.table] = await redactAll((work) => this.tx.runPrivileged(context, (t) => work(t.manager)), context.tenantId, spec, pattern);
    }
    return counts;
  }
}
