import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { Statement } from '../../libs/platform/src/index';
import { messageSql } from '../../libs/tickets/src/repositories/messages.sql';
import { TICKET_COLUMNS, ticketSql, type TicketListCriteria } from '../../libs/tickets/src/repositories/tickets.sql';
import { assignmentSql } from '../../libs/tickets/src/assignment/repositories/assignment.sql';
import { asTenantRole } from '../support/http';

/**
 * Query plans of the tickets statements on a tenant with 10,000 tickets, explained exactly as the
 * api sends them (the repositories' statement builders) under the application role with the
 * tenant pinned, as a tenant transaction does. None may read a tenant table sequentially: with
 * RLS every tenant shares the tables, so a sequential scan reads every tenant's rows.
 *
 * The statements' text is kept as a snapshot (like immich's generated SQL), so a change to what
 * the api sends shows up in review next to the plans it must keep. Full-text search (`q=`) must
 * reach its GIN indexes although `@@` is not leakproof (candidates through a SECURITY DEFINER
 * function), or walk the list when the term is frequent.
 */
const TICKETS = 10_000;
const TENANT_TABLES = ['tickets', 'ticket_messages', 'ticket_events', 'ticket_counters', 'ticket_participants', 'ticket_attachments', 'ticket_ai_suggestions'];

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Index Cond'?: string;
  Plans?: PlanNode[];
}

const nodes = (plan: PlanNode): PlanNode[] => [plan, ...(plan.Plans ?? []).flatMap(nodes)];

describe('tickets: query plans on 10k tickets', () => {
  const tenantId = randomUUID();
  const busy = { id: '', createdAt: '', updatedAt: '', position: 0 };
  const requesterId = randomUUID();
  const assigneeId = randomUUID();
  const groupId = randomUUID();

  beforeAll(async () => {
    const db = new Client({ connectionString: process.env.E2E_DATABASE_URL });
    await db.connect();
    try {
      // Written as the tenant (RLS checks every row): tickets, one message and one history entry
      // each, and a long conversation and history on one of them.
      const asTenant = async (): Promise<void> => {
        await db.query('BEGIN');
        await db.query(`SELECT set_config('app.tenant_id', $1, true), set_config('role', 'switchboard_app', true)`, [tenantId]);
      };
      await asTenant();
      await db.query(
        `INSERT INTO tickets (tenant_id, number, subject, status, priority, requester_id, assignee_id, group_id, tags, created_at, updated_at)
         SELECT $1, 1000 + g, 'Ticket ' || g || ' about ' || (ARRAY['boiler','invoice','login','delivery','refund'])[1 + g % 5],
                (ARRAY['new','open','pending','on_hold','solved','closed'])[1 + g % 6], (ARRAY['low','normal','high','urgent'])[1 + g % 4],
                CASE WHEN g % 100 = 0 THEN $3::uuid ELSE gen_random_uuid() END, CASE WHEN g % 3 = 0 THEN $4::uuid END, CASE WHEN g % 7 = 0 THEN $5::uuid END, ARRAY['tag' || (g % 20)],
                now() - make_interval(secs => g * 60), now() - make_interval(secs => (g * 37) % 600000)
           FROM generate_series(1, $2::int) g`,
        [tenantId, TICKETS, requesterId, assigneeId, groupId],
      );
      await db.query(`INSERT INTO ticket_counters (tenant_id, last_number) VALUES ($1, $2)`, [tenantId, 1000 + TICKETS]);
      await db.query('COMMIT');
      // The messages' and history's foreign-key checks look each ticket up with a plan cached for
      // the table's statistics: planned while the table held only a few other files' tickets, each
      // check walks this tenant's 10,000 (about 15 s for the seed here, minutes on a loaded machine).
      await db.query('ANALYZE tickets');
      await asTenant();
      await db.query(
        `INSERT INTO ticket_messages (tenant_id, ticket_id, visibility, author_type, author_id, body, created_at)
         SELECT tenant_id, id, 'public', 'contact', requester_id::text, 'The customer writes about ' || subject, created_at FROM tickets WHERE tenant_id = $1`,
        [tenantId],
      );
      await db.query(
        `INSERT INTO ticket_events (tenant_id, ticket_id, action, changes, actor_type, created_at)
         SELECT tenant_id, id, 'ticket.created', jsonb_build_object('subject', jsonb_build_object('to', subject)), 'user', created_at FROM tickets WHERE tenant_id = $1`,
        [tenantId],
      );
      const [ticket] = (await db.query(`SELECT id, created_at, updated_at FROM tickets WHERE tenant_id = $1 AND number = 1500`, [tenantId])).rows as { id: string; created_at: Date; updated_at: Date }[];
      Object.assign(busy, { id: ticket!.id, createdAt: ticket!.created_at.toISOString(), updatedAt: ticket!.updated_at.toISOString() });
      await db.query(
        `INSERT INTO ticket_messages (tenant_id, ticket_id, visibility, author_type, body, created_at)
         SELECT $1, $2, CASE WHEN g % 4 = 0 THEN 'internal' ELSE 'public' END, 'agent', 'Reply ' || g, now() - make_interval(secs => 1000 - g) FROM generate_series(1, 300) g`,
        [tenantId, busy.id],
      );
      await db.query(
        `INSERT INTO ticket_events (tenant_id, ticket_id, action, changes, actor_type)
         SELECT $1, $2, 'ticket.updated', CASE WHEN g % 10 = 0 THEN '{"assigneeId": {"from": null, "to": "u"}}' ELSE '{"priority": {"from": "low", "to": "high"}}' END::jsonb, 'user'
           FROM generate_series(1, 300) g`,
        [tenantId, busy.id],
      );
      busy.position = Number((await db.query(`SELECT max(position) - 150 AS p FROM ticket_events WHERE tenant_id = $1 AND ticket_id = $2`, [tenantId, busy.id])).rows[0].p);
      await db.query('COMMIT');
      // What autovacuum would have done by now on a real server.
      await db.query('ANALYZE tickets, ticket_messages, ticket_events');
    } finally {
      await db.end();
    }
  }, 120_000);

  const list = (criteria: Partial<TicketListCriteria>): Statement => ticketSql.list(tenantId, { sort: 'createdAt', order: 'desc', limit: 25, ...criteria });
  const statements = (): Record<string, Statement> => ({
    'ticket by id': ticketSql.byId(tenantId, busy.id),
    'ticket by id, locked': ticketSql.byId(tenantId, busy.id, true),
    // No route reads by number yet; the unique (tenant_id, number) index must serve it when one does.
    'ticket by number': { sql: `SELECT ${TICKET_COLUMNS} FROM tickets WHERE tenant_id = $1 AND number = $2`, params: [tenantId, 1500] },
    'list, first page': list({}),
    'list, keyset cursor': list({ after: [busy.createdAt, busy.id] }),
    'list, oldest first, keyset cursor': list({ order: 'asc', after: [busy.createdAt, busy.id] }),
    'list by updatedAt, keyset cursor': list({ sort: 'updatedAt', after: [busy.updatedAt, busy.id] }),
    'list by status, keyset cursor': list({ status: ['open'], after: [busy.createdAt, busy.id] }),
    'list by assignee': list({ assigneeId }),
    'list by group': list({ groupId }),
    'list by requester': list({ requesterId }),
    'list by tag': list({ tag: 'tag7' }),
    'list by SLA deadline, keyset cursor': list({ sort: 'slaBreachAt', order: 'asc', afterSla: [busy.createdAt, busy.id] }),
    'list SLA breached, by deadline': list({ slaState: 'breached', sort: 'slaBreachAt', order: 'asc' }),
    'search, rare word': list({ q: '1234' }),
    'search, frequent word': list({ q: 'boiler' }),
    'export, changed since': ticketSql.changedSince(tenantId, [busy.updatedAt, busy.id], false, 1000),
    'messages, first page': messageSql.page(tenantId, busy.id, { limit: 25 }),
    'messages, keyset cursor': messageSql.page(tenantId, busy.id, { limit: 25, after: [busy.createdAt, busy.id] }),
    'messages for an AI assist': messageSql.firstAndRecent(tenantId, busy.id, 200),
    'history, first page': ticketSql.history(tenantId, busy.id, { limit: 25 }),
    'history, cursor': ticketSql.history(tenantId, busy.id, { limit: 25, before: busy.position }),
    'assignment history': ticketSql.history(tenantId, busy.id, { limit: 25, field: 'assigneeId' }),
    'tags in use': ticketSql.knownTags(tenantId),
    'assignment: members with their load': assignmentSql.members(tenantId, groupId),
    'assignment: waiting tickets, locked': assignmentSql.waiting(tenantId, groupId, 100),
    'assignment: waiting count': assignmentSql.waitingCount(tenantId, groupId),
  });

  it('keeps the statements it explains (snapshot: review changes to what the api sends)', () => {
    const sql = Object.fromEntries(Object.entries(statements()).map(([name, s]) => [name, s.sql.replace(/\s+/g, ' ').trim()]));
    expect(sql).toMatchSnapshot();
  });

  it('reads no tenant table sequentially', async () => {
    const plans = await asTenantRole(tenantId, async (db) => {
      const out: Record<string, PlanNode> = {};
      for (const [name, s] of Object.entries(statements())) {
        const [row] = (await db.query(`EXPLAIN (FORMAT JSON) ${s.sql}`, s.params)).rows as { 'QUERY PLAN': [{ Plan: PlanNode }] }[];
        out[name] = row!['QUERY PLAN'][0].Plan;
      }
      return out;
    });
    const seqScans = Object.entries(plans).flatMap(([name, plan]) =>
      nodes(plan)
        .filter((n) => n['Node Type'] === 'Seq Scan' && TENANT_TABLES.includes(n['Relation Name'] ?? ''))
        .map((n) => `${name}: Seq Scan on ${n['Relation Name']}\n${JSON.stringify(plan, null, 2)}`),
    );
    expect(seqScans).toEqual([]);
    // Each statement reads its tenant through an index on tenant_id.
    // …and every index it reads is entered by the tenant (or by the tag, whose GIN index is all tenants').
    const unscoped = Object.entries(plans).flatMap(([name, plan]) =>
      nodes(plan)
        .filter((n) => n['Index Name'] && !/tenant_id = /.test(n['Index Cond'] ?? '') && n['Index Name'] !== 'tickets_tags')
        .map((n) => `${name}: ${n['Node Type']} using ${n['Index Name']} without the tenant in its condition (${n['Index Cond'] ?? 'none'})`),
    );
    expect(unscoped).toEqual([]);
  });

  it('searches a rare word through the GIN indexes and joins the candidates back; walks the list for a frequent one', async () => {
    type Analyzed = PlanNode & { 'Actual Loops'?: number; 'Function Name'?: string };
    const explain = (q: string) =>
      asTenantRole(tenantId, async (db) => {
        const s = list({ q });
        const [row] = (await db.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${s.sql}`, s.params)).rows as { 'QUERY PLAN': [{ Plan: Analyzed }] }[];
        return nodes(row!['QUERY PLAN'][0].Plan) as Analyzed[];
      });
    const ran = (plan: Analyzed[], test: (n: Analyzed) => boolean) => plan.some((n) => test(n) && (n['Actual Loops'] ?? 0) > 0);
    const candidates = (n: Analyzed) => n['Node Type'] === 'Function Scan' && n['Function Name'] === 'ticket_search_candidates';
    const joinedBack = (n: Analyzed) => n['Index Name'] === 'tickets_pkey';
    const walk = (n: Analyzed) => n['Index Name'] === 'tickets_created';

    const rare = await explain('1234');
    expect(ran(rare, candidates)).toBe(true);
    expect(ran(rare, joinedBack)).toBe(true);
    expect(ran(rare, walk)).toBe(false);
    const frequent = await explain('boiler');
    expect(ran(frequent, walk)).toBe(true);
    expect(ran(frequent, joinedBack)).toBe(false);
  });
});
