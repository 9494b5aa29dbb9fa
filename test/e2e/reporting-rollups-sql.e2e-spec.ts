import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { Client } from 'pg';
import { localDay } from '../../libs/reporting/src/domain/rollup-spans';
import { rollupsSql } from '../../libs/reporting/src/repositories/rollups.sql';

/**
 * The rollup statement against an independent brute force (ADR 0059): random ticket metrics and
 * status intervals around Berlin's DST changes (a 23-hour and a 25-hour local day), rolled up by
 * SQL, equal what a plain loop over the same rows counts day by day with local days read through
 * Intl — created, solved, reopened, backlog at the end of each day, and the reply and resolution
 * values of the tickets solved that day, per group, agent, channel, priority and tag — and the
 * facts of other contexts (SLA breaches and targets met, CSAT surveys and ratings, jobs, AI usage and
 * suggestions) by group and agent, and facts that last (visits' slots, clock intervals) split into
 * the local days they overlap, minute by minute (ADR 0064).
 */
const TZ = 'Europe/Berlin';
const DONE = new Set(['solved', 'closed']);
const GROUPS = [null, '0a000000-0000-4000-8000-000000000001', '0a000000-0000-4000-8000-000000000002'];
const AGENTS = [null, '0b000000-0000-4000-8000-000000000001'];
const STATUSES = ['new', 'open', 'pending', 'solved', 'closed'];
const WINDOWS = [
  { start: Date.parse('2026-03-27T20:00:00Z'), days: ['2026-03-28', '2026-03-29', '2026-03-30'] },
  { start: Date.parse('2026-10-24T20:00:00Z'), days: ['2026-10-24', '2026-10-25', '2026-10-26'] },
];
const SPAN_MINUTES = 3 * 24 * 60;

interface GenTicket {
  createdMinute: number;
  changes: { after: number; status: string }[];
  firstStatus: string;
  group: string | null;
  agent: string | null;
  channel: string;
  priority: string;
  tags: string[];
  firstReply: number | null;
}

const ticketArb = fc.record<GenTicket>({
  createdMinute: fc.integer({ min: 0, max: SPAN_MINUTES - 1 }),
  firstStatus: fc.constantFrom('new', 'open', 'solved'),
  changes: fc.array(fc.record({ after: fc.integer({ min: 1, max: 20 * 60 }), status: fc.constantFrom(...STATUSES) }), { maxLength: 5 }),
  group: fc.constantFrom(...GROUPS),
  agent: fc.constantFrom(...AGENTS),
  channel: fc.constantFrom('email', 'chat'),
  priority: fc.constantFrom('normal', 'high'),
  tags: fc.uniqueArray(fc.constantFrom('vip', 'billing'), { maxLength: 2 }).map((t) => t.sort()),
  firstReply: fc.option(fc.integer({ min: 0, max: 5000 }).map((n) => n / 100), { nil: null }),
});

interface GenFact {
  source: 'sla_breached' | 'sla_fulfilled' | 'csat' | 'csat_offered' | 'job_completed' | 'ai_usage' | 'ai_suggestion_offered' | 'ai_suggestion_decided' | 'visit_scheduled' | 'visit_clocked';
  minute: number;
  /** Facts that last: minutes from `minute` (null for the others). */
  duration: number | null;
  group: string | null;
  agent: string | null;
  key: string;
  n: number;
  amount: number;
  amount2: number;
}

const SPANS = new Set(['visit_scheduled', 'visit_clocked']);
const factArb = fc
  .record({
    source: fc.constantFrom<GenFact['source']>('sla_breached', 'sla_fulfilled', 'csat', 'csat_offered', 'job_completed', 'ai_usage', 'ai_suggestion_offered', 'ai_suggestion_decided', 'visit_scheduled', 'visit_clocked'),
    minute: fc.integer({ min: 0, max: SPAN_MINUTES - 1 }),
    duration: fc.integer({ min: 1, max: 12 * 60 }),
    group: fc.constantFrom(...GROUPS),
    agent: fc.constantFrom(...AGENTS),
    key: fc.constantFrom('good', 'EUR', 'reply_draft/openai', 'first_reply_time'),
    // A fact of n 0 counts nothing (a target met late, a cancelled or unassigned visit).
    n: fc.constantFrom(1, 1, 0),
    amount: fc.integer({ min: 0, max: 100_000 }),
    amount2: fc.integer({ min: 0, max: 3 }),
  })
  .map((f): GenFact => ({ ...f, duration: SPANS.has(f.source) ? f.duration : null, n: f.source === 'sla_fulfilled' || SPANS.has(f.source) ? f.n : 1 }));

/** What each fact adds to its day: the metric, its count and amount (the statement's mapping, written out). */
function factRows(f: GenFact): { metric: string; n: number; amount: number }[] {
  switch (f.source) {
    case 'ai_usage':
      return [
        { metric: 'ai_tokens', n: f.n, amount: f.amount },
        { metric: 'ai_cost_micros', n: f.n, amount: f.amount2 },
      ];
    case 'job_completed':
      return [
        { metric: 'fs_revenue', n: f.n, amount: f.amount },
        { metric: 'fs_first_visit', n: f.amount2 === 1 ? 1 : 0, amount: f.amount2 },
      ];
    case 'sla_fulfilled':
      return [{ metric: 'sla_met', n: f.n, amount: f.amount }];
    default:
      return [{ metric: f.source, n: f.n, amount: f.amount }];
  }
}

interface Built {
  id: string;
  createdAt: string;
  solvedAt: string | null;
  firstReply: number | null;
  resolution: number | null;
  dims: { g: string; a: string; c: string; p: string; tags: string[] };
  intervals: { seq: number; status: string; startedAt: string; endedAt: string | null }[];
}

function build(t: GenTicket, start: number): Built {
  const iso = (minute: number) => new Date(start + minute * 60_000).toISOString();
  const intervals: Built['intervals'] = [];
  let status = t.firstStatus;
  let from = t.createdMinute;
  let at = t.createdMinute;
  for (const change of t.changes) {
    at += change.after;
    if (change.status === status) continue;
    intervals.push({ seq: intervals.length + 1, status, startedAt: iso(from), endedAt: iso(at) });
    status = change.status;
    from = at;
  }
  intervals.push({ seq: intervals.length + 1, status, startedAt: iso(from), endedAt: null });
  const last = intervals.at(-1)!;
  const solvedAt = DONE.has(last.status) ? (intervals.findLast((i, k) => DONE.has(i.status) && (k === 0 || !DONE.has(intervals[k - 1]!.status)))?.startedAt ?? null) : null;
  return {
    id: randomUUID(),
    createdAt: iso(t.createdMinute),
    solvedAt,
    firstReply: t.firstReply,
    resolution: solvedAt ? Math.round((Date.parse(solvedAt) - Date.parse(iso(t.createdMinute))) / 600) / 100 : null,
    dims: { g: t.group ?? '', a: t.agent ?? '', c: t.channel, p: t.priority, tags: t.tags },
    intervals,
  };
}

type Row = { level?: string; day: string; g: string; a: string; c: string; p: string; tag: string; metric: string; key: string; n: number; amount?: number; vals: number[] | null };
const rowKey = (r: Omit<Row, 'n' | 'vals'>) => [r.level ?? 'grain', r.day, r.g, r.a, r.c, r.p, r.tag, r.metric, r.key].join('|');

/** The rows counted one ticket, one day at a time, with local days from Intl. */
function bruteForce(tickets: Built[], days: string[], facts: GenFact[] = [], start = 0): Row[] {
  const out = new Map<string, Row>();
  for (const f of facts) {
    if (f.n === 0) continue;
    if (f.duration !== null) {
      // Minute by minute: each local day it touches gets one count and the seconds within it.
      const seconds = new Map<string, number>();
      for (let m = f.minute; m < f.minute + f.duration; m++) {
        const day = localDay(start + m * 60_000, TZ);
        seconds.set(day, (seconds.get(day) ?? 0) + 60);
      }
      for (const [day, s] of seconds) {
        if (!days.includes(day)) continue;
        const dims = { day, g: f.group ?? '', a: f.agent ?? '', c: '', p: '', tag: '', metric: f.source === 'visit_scheduled' ? 'fs_scheduled' : 'fs_clocked', key: f.key };
        const k = rowKey(dims);
        const row = out.get(k) ?? { ...dims, n: 0, amount: 0, vals: null };
        row.n += 1;
        row.amount! += s;
        out.set(k, row);
      }
      continue;
    }
    const day = localDay(start + f.minute * 60_000, TZ);
    if (!days.includes(day)) continue;
    for (const r of factRows(f)) {
      const dims = { day, g: f.group ?? '', a: f.agent ?? '', c: '', p: '', tag: '', metric: r.metric, key: f.key };
      const k = rowKey(dims);
      const row = out.get(k) ?? { ...dims, n: 0, amount: 0, vals: null };
      row.n += r.n;
      row.amount! += r.amount;
      out.set(k, row);
    }
  }
  const add = (day: string, t: Built | null, tag: string, metric: string, value?: number) => {
    const dims = t ? { g: t.dims.g, a: t.dims.a, c: t.dims.c, p: t.dims.p } : { g: '', a: '', c: '', p: '' };
    const k = rowKey({ day, ...dims, tag, metric, key: '' });
    const row = out.get(k) ?? { day, ...dims, tag, metric, key: '', n: 0, amount: 0, vals: null };
    if (t) row.n += 1;
    if (value !== undefined) row.vals = [...(row.vals ?? []), value].sort((x, y) => x - y);
    out.set(k, row);
  };
  for (const day of days) {
    add(day, null, '', 'computed');
    for (const t of tickets) {
      for (const tag of ['', ...t.dims.tags]) {
        if (localDay(t.createdAt, TZ) === day) add(day, t, tag, 'created');
        t.intervals.forEach((i, k) => {
          const prev = k > 0 ? t.intervals[k - 1]!.status : null;
          if (localDay(i.startedAt, TZ) !== day) return;
          if (DONE.has(i.status) && (prev === null || !DONE.has(prev))) add(day, t, tag, 'solved');
          if (!DONE.has(i.status) && prev !== null && DONE.has(prev)) add(day, t, tag, 'reopened');
        });
        const openAtEnd = t.intervals.some((i) => !DONE.has(i.status) && localDay(i.startedAt, TZ) <= day && (i.endedAt === null || localDay(i.endedAt, TZ) > day));
        if (openAtEnd) add(day, t, tag, 'backlog');
        if (t.solvedAt && localDay(t.solvedAt, TZ) === day) {
          if (t.firstReply !== null) add(day, t, tag, 'first_reply', t.firstReply);
          if (t.resolution !== null) add(day, t, tag, 'resolution', t.resolution);
        }
      }
    }
  }
  return [...out.values()].sort((x, y) => rowKey(x).localeCompare(rowKey(y)));
}

/** The grain rows summed per dimension and for the tenant, as the levels the reports read; the day marker is a tenant row. */
function withLevels(grain: Row[]): Row[] {
  const out = new Map<string, Row>();
  const put = (row: Row) => {
    const k = rowKey(row);
    const had = out.get(k);
    if (!had) return void out.set(k, { ...row, vals: row.vals ? [...row.vals] : null });
    had.n += row.n;
    had.amount = (had.amount ?? 0) + (row.amount ?? 0);
    if (row.vals) had.vals = [...(had.vals ?? []), ...row.vals].sort((x, y) => x - y);
  };
  for (const r of grain) {
    if (r.metric === 'computed') {
      put({ ...r, level: 'total' });
      continue;
    }
    put({ ...r, level: 'grain' });
    const none = { g: '', a: '', c: '', p: '' };
    put({ ...r, ...none, level: 'total' });
    put({ ...r, ...none, g: r.g, level: 'group' });
    put({ ...r, ...none, a: r.a, level: 'agent' });
    put({ ...r, ...none, c: r.c, level: 'channel' });
    put({ ...r, ...none, p: r.p, level: 'priority' });
  }
  return [...out.values()].sort((x, y) => rowKey(x).localeCompare(rowKey(y)));
}

describe('Reporting: the rollup statement equals a brute-force aggregation', () => {
  let db: Client;
  beforeAll(async () => {
    db = new Client({ connectionString: process.env.E2E_DATABASE_URL });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
  });

  async function rollUp(tenantId: string, tickets: Built[], days: string[], facts: GenFact[] = [], start = 0): Promise<Row[]> {
    for (const [i, f] of facts.entries()) {
      await db.query(
        `INSERT INTO reporting_facts (tenant_id, source, fact_id, at, group_id, agent_id, key, n, amount, amount2, ends_at) VALUES ($1, $2, $3, $4, COALESCE($5, ''), COALESCE($6, ''), $7, $8, $9, $10, $11)`,
        [
          tenantId,
          f.source,
          `f${i}`,
          new Date(start + f.minute * 60_000).toISOString(),
          f.group,
          f.agent,
          f.key,
          f.n,
          f.amount,
          f.amount2,
          f.duration === null ? null : new Date(start + (f.minute + f.duration) * 60_000).toISOString(),
        ],
      );
    }
    for (const t of tickets) {
      await db.query(
        `INSERT INTO reporting_ticket_metrics (tenant_id, ticket_id, created_at, status, group_id, assignee_id, channel, priority, first_reply_minutes, solved_at, full_resolution_minutes,
           public_replies, internal_notes, reopens, assignee_changes, group_changes, agent_touches, history_position, tags)
         VALUES ($1, $2, $3, $4, NULLIF($5, '')::uuid, NULLIF($6, '')::uuid, $7, $8, $9, $10, $11, 0, 0, 0, 0, 0, 0, 1, $12)`,
        [tenantId, t.id, t.createdAt, t.intervals.at(-1)!.status, t.dims.g, t.dims.a, t.dims.c, t.dims.p, t.firstReply, t.solvedAt, t.resolution, t.dims.tags],
      );
      for (const i of t.intervals) {
        await db.query(`INSERT INTO reporting_status_intervals (tenant_id, ticket_id, seq, status, started_at, ended_at) VALUES ($1, $2, $3, $4, $5, $6)`, [tenantId, t.id, i.seq, i.status, i.startedAt, i.endedAt]);
      }
    }
    const insert = rollupsSql.insertDays(tenantId, TZ, days);
    await db.query(insert.sql, insert.params as unknown[]);
    const rows = await db.query(
      `SELECT level, to_char(day, 'YYYY-MM-DD') AS day, group_id AS g, agent_id AS a, channel AS c, priority AS p, tag, metric, key, n::int AS n, amount::int AS amount, vals FROM reporting_daily_rollups WHERE tenant_id = $1`,
      [tenantId],
    );
    await db.query(`DELETE FROM reporting_ticket_metrics WHERE tenant_id = $1`, [tenantId]);
    await db.query(`DELETE FROM reporting_daily_rollups WHERE tenant_id = $1`, [tenantId]);
    await db.query(`DELETE FROM reporting_facts WHERE tenant_id = $1`, [tenantId]);
    return (rows.rows as Row[]).sort((x, y) => rowKey(x).localeCompare(rowKey(y)));
  }

  it('over random tickets and facts across a 23-hour and a 25-hour day in Berlin', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...WINDOWS),
        fc.array(ticketArb, { minLength: 1, maxLength: 8 }),
        fc.array(factArb, { maxLength: 8 }),
        fc.uniqueArray(fc.integer({ min: 0, max: 2 }), { minLength: 1, maxLength: 3 }),
        async (window, generated, facts, picked) => {
          // Some of the window's days only, as a roll-up of marked days does: tickets settled before them must not count.
          const days = window.days.filter((_, i) => picked.includes(i));
          const tickets = generated.map((t) => build(t, window.start));
          const actual = await rollUp(randomUUID(), tickets, days, facts, window.start);
          expect(actual).toEqual(withLevels(bruteForce(tickets, days, facts, window.start)));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('counts a DST day’s evening in that day: 23:30 local on the 25-hour day is the 25th, not the 26th', async () => {
    const start = Date.parse('2026-10-25T22:30:00Z'); // 23:30 CET on 25 October
    const t = build({ createdMinute: 0, firstStatus: 'open', changes: [], group: null, agent: null, channel: 'email', priority: 'normal', tags: [], firstReply: null }, start);
    const rows = await rollUp(randomUUID(), [t], ['2026-10-25', '2026-10-26']);
    const total = rows.filter((r) => r.level === 'total');
    expect(total.filter((r) => r.metric === 'created').map((r) => r.day)).toEqual(['2026-10-25']);
    expect(total.filter((r) => r.metric === 'backlog').map((r) => r.day)).toEqual(['2026-10-25', '2026-10-26']);
  });
});
