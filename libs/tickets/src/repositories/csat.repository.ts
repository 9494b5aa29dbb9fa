import { Injectable } from '@nestjs/common';
import type { TenantTx } from '@switchboard/platform';
import type { CsatRating, CsatScale } from '../domain/csat';
import { ratingOf } from '../domain/csat';
import { execute } from './execute';

interface CsatRow {
  ticket_id: string;
  scale: CsatScale;
  rating_good: boolean | null;
  rating_score: number | null;
  comment: string | null;
  offered_at: Date;
  expires_at: Date;
  rated_at: Date | null;
  updated_at: Date | null;
  changeable_until: Date | null;
  requester_id: string | null;
  assignee_id: string | null;
  group_id: string | null;
}

export interface CsatView {
  ticketId: string;
  scale: CsatScale;
  rating: CsatRating | null;
  comment: string | null;
  offeredAt: string;
  expiresAt: string;
  ratedAt: string | null;
  updatedAt: string | null;
  changeableUntil: string | null;
  requesterId: string | null;
  assigneeId: string | null;
  groupId: string | null;
}

export interface CsatFilter {
  from: string;
  to: string;
  rating?: CsatRating;
  groupId?: string;
  assigneeId?: string;
}

export interface CsatTotals {
  offered: number;
  responses: number;
  good: number;
  bad: number;
  averageScore: number | null;
  /** responses / offered among the surveys offered in the range; null when none was offered. */
  responseRate: number | null;
}

const COLUMNS = 'ticket_id, scale, rating_good, rating_score, comment, offered_at, expires_at, rated_at, updated_at, changeable_until, requester_id, assignee_id, group_id';
const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

const toView = (r: CsatRow): CsatView => ({
  ticketId: r.ticket_id,
  scale: r.scale,
  rating: ratingOf(r.rating_good, r.rating_score),
  comment: r.comment,
  offeredAt: iso(r.offered_at)!,
  expiresAt: iso(r.expires_at)!,
  ratedAt: iso(r.rated_at),
  updatedAt: iso(r.updated_at),
  changeableUntil: iso(r.changeable_until),
  requesterId: r.requester_id,
  assigneeId: r.assignee_id,
  groupId: r.group_id,
});

/** The filters of `GET /v1/csat` as SQL, parameters appended to `params` (tenant_id is $1). */
function where(params: unknown[], f: CsatFilter, byRatedAt: boolean): string {
  const at = byRatedAt ? 'rated_at' : 'offered_at';
  let sql = `tenant_id = $1 AND ${at} >= $${params.push(f.from)}::timestamptz AND ${at} < $${params.push(f.to)}::timestamptz`;
  if (f.rating !== undefined) {
    sql += typeof f.rating === 'number' ? ` AND rating_score = $${params.push(f.rating)}` : ` AND rating_good = $${params.push(f.rating === 'good')}`;
  }
  if (f.groupId) sql += ` AND group_id = $${params.push(f.groupId)}::uuid`;
  if (f.assigneeId) sql += ` AND assignee_id = $${params.push(f.assigneeId)}::uuid`;
  return sql;
}

/** Survey rows (one per ticket); every method runs in the caller's transaction. */
@Injectable()
export class CsatRepository {
  /** The ticket's survey, created unless it has one; undefined when it already had one. */
  async offer(tx: TenantTx, ticketId: string, scale: CsatScale, validityDays: number): Promise<CsatView | undefined> {
    const [row] = await execute<CsatRow[]>(tx, {
      sql: `INSERT INTO ticket_csat (tenant_id, ticket_id, scale, expires_at) VALUES ($1, $2, $3, now() + make_interval(days => $4))
            ON CONFLICT (tenant_id, ticket_id) DO NOTHING RETURNING ${COLUMNS}`,
      params: [tx.tenantId, ticketId, scale, validityDays],
    });
    return row ? toView(row) : undefined;
  }

  async find(tx: TenantTx, ticketId: string, lock = false): Promise<CsatView | undefined> {
    const [row] = await execute<CsatRow[]>(tx, { sql: `SELECT ${COLUMNS} FROM ticket_csat WHERE tenant_id = $1 AND ticket_id = $2${lock ? ' FOR UPDATE' : ''}`, params: [tx.tenantId, ticketId] });
    return row ? toView(row) : undefined;
  }

  /** Records (or changes) the rating; the first one starts the change window. */
  async rate(
    tx: TenantTx,
    ticketId: string,
    r: { good: boolean | null; score: number | null; comment: string | null; changeWindowDays: number; requesterId: string; assigneeId: string | null; groupId: string | null },
  ): Promise<CsatView> {
    const [row] = await execute<CsatRow[]>(tx, {
      // A CTE, so the driver answers rows (an UPDATE alone answers [rows, count]).
      sql: `WITH rated AS (UPDATE ticket_csat SET rating_good = $3, rating_score = $4, comment = $5,
              rated_at = COALESCE(rated_at, now()), updated_at = now(),
              changeable_until = COALESCE(changeable_until, now() + make_interval(days => $6)),
              requester_id = $7, assignee_id = $8, group_id = $9
            WHERE tenant_id = $1 AND ticket_id = $2 RETURNING ${COLUMNS}) SELECT * FROM rated`,
      params: [tx.tenantId, ticketId, r.good, r.score, r.comment, r.changeWindowDays, r.requesterId, r.assigneeId, r.groupId],
    });
    return toView(row!);
  }

  /** A deleted ticket's purge: its survey goes with its content (a spam ticket's rating reports nothing). */
  async deleteForTicket(tx: TenantTx, ticketId: string): Promise<void> {
    await execute(tx, { sql: `WITH gone AS (DELETE FROM ticket_csat WHERE tenant_id = $1 AND ticket_id = $2 RETURNING 1) SELECT 1 FROM gone`, params: [tx.tenantId, ticketId] });
  }

  /** A contact erasure: the comments of surveys they answered (as requester then or now); the ratings stay for reports. */
  async eraseCommentsOfRequester(tx: TenantTx, contactId: string): Promise<number> {
    const rows = await execute<unknown[]>(tx, {
      sql: `WITH erased AS (UPDATE ticket_csat c SET comment = NULL
              WHERE c.tenant_id = $1 AND c.comment IS NOT NULL
                AND (c.requester_id = $2 OR EXISTS (SELECT 1 FROM tickets t WHERE t.tenant_id = $1 AND t.id = c.ticket_id AND t.requester_id = $2))
              RETURNING 1) SELECT 1 FROM erased`,
      params: [tx.tenantId, contactId],
    });
    return rows.length;
  }

  /** Rated surveys in the range (by when first rated), newest first; one more than `limit`; `after` is the last row's (rated_at, ticket_id). */
  async page(tx: TenantTx, f: CsatFilter, page: { limit: number; after?: [string, string] }): Promise<CsatView[]> {
    const params: unknown[] = [tx.tenantId];
    let sql = `SELECT ${COLUMNS} FROM ticket_csat WHERE ${where(params, f, true)}`;
    if (page.after) sql += ` AND (rated_at, ticket_id) < ($${params.push(page.after[0])}::timestamptz, $${params.push(page.after[1])}::uuid)`;
    sql += ` ORDER BY rated_at DESC, ticket_id DESC LIMIT $${params.push(page.limit + 1)}`;
    return (await execute<CsatRow[]>(tx, { sql, params })).map(toView);
  }

  /**
   * Totals of the ratings given in the range (with the filters), and the response rate of the
   * surveys offered in it: rated / offered (the rating filter does not narrow what was offered).
   */
  async totals(tx: TenantTx, f: CsatFilter): Promise<CsatTotals> {
    const p1: unknown[] = [tx.tenantId];
    const rated = `SELECT count(*) AS responses, count(*) FILTER (WHERE rating_good) AS good, count(*) FILTER (WHERE rating_good = false) AS bad, avg(rating_score) AS average
                   FROM ticket_csat WHERE rated_at IS NOT NULL AND ${where(p1, f, true)}`;
    const [r] = await execute<{ responses: string; good: string; bad: string; average: string | null }[]>(tx, { sql: rated, params: p1 });
    const p2: unknown[] = [tx.tenantId];
    const offered = `SELECT count(*) AS offered, count(*) FILTER (WHERE rated_at IS NOT NULL) AS answered FROM ticket_csat WHERE ${where(p2, { ...f, rating: undefined }, false)}`;
    const [o] = await execute<{ offered: string; answered: string }[]>(tx, { sql: offered, params: p2 });
    const offeredCount = Number(o!.offered);
    return {
      offered: offeredCount,
      responses: Number(r!.responses),
      good: Number(r!.good),
      bad: Number(r!.bad),
      averageScore: r!.average === null ? null : Math.round(Number(r!.average) * 100) / 100,
      responseRate: offeredCount === 0 ? null : Math.round((Number(o!.answered) / offeredCount) * 10_000) / 10_000,
    };
  }
}
