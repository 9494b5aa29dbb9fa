import type { Statement } from '@switchboard/platform';
import type { ValueColumn } from '../domain/custom-fields';
import type { Status } from '../domain/ticket';
import type { TicketFilter } from '../queries/list-tickets/list-tickets.query';
import type { SlaStateFilter, TicketSlaState } from '../sla/domain/sla-state';

/**
 * The tickets aggregate's SQL: one column list, one row → view mapping (the shape the DTO, the
 * console snapshot and the events derive from), and the statements as pure builders, so the plan
 * test explains exactly what the api runs. TicketsRepository executes them.
 */
export interface TicketRow {
  id: string;
  number: number;
  subject: string;
  status: Status;
  priority: string;
  type: string;
  channel: string;
  requester_id: string;
  assignee_id: string | null;
  group_id: string | null;
  custom_status_id: string | null;
  tags: string[];
  due_at: Date | null;
  external_id: string | null;
  merged_into_id: string | null;
  merged_from: string[];
  form_id: string | null;
  fields: Record<string, unknown>;
  sla_breach_at: Date | null;
  sla_state: TicketSlaState | null;
  created_at: Date;
  updated_at: Date;
  version: number;
}

export interface TicketView {
  id: string;
  number: number;
  subject: string;
  status: Status;
  priority: string;
  type: string;
  channel: string;
  requesterId: string;
  assigneeId: string | null;
  groupId: string | null;
  /** The tenant's own status (mapped onto `status`, its category); null is the category's default. */
  customStatusId: string | null;
  tags: string[];
  dueAt: string | null;
  externalId: string | null;
  /** Set when this ticket was merged into another (it is closed then); replies to it land there. */
  mergedIntoId: string | null;
  /** The tickets merged into this one, oldest merge first. */
  mergedFrom: string[];
  /** The ticket form its custom fields follow (null: no form, every live field applies). */
  formId: string | null;
  /** Custom field values by field key (a deleted field's old value stays readable). */
  fields: Record<string, unknown>;
  /** The next SLA deadline of a running target (past when overdue); null: no clock runs. Kept by the SLA engine (ADR 0045). */
  slaBreachAt: string | null;
  /** breached (a target is overdue), active (clocks run), paused, or null (no SLA applies, or every target is met). */
  slaState: TicketSlaState | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** The ticket's columns, its custom field values beside them (a plain SQL function, row-level security applies inside). */
export const ticketColumns = (alias?: string) => {
  const a = alias ? `${alias}.` : '';
  return `${a}id, ${a}number, ${a}subject, ${a}status, ${a}priority, ${a}type, ${a}channel, ${a}requester_id, ${a}assignee_id, ${a}group_id, ${a}custom_status_id, ${a}tags, ${a}due_at, ${a}external_id, ${a}merged_into_id, ${a}merged_from, ${a}form_id, ticket_custom_fields(${a}tenant_id, ${a}id) AS fields, ${a}sla_breach_at, ${a}sla_state, ${a}created_at, ${a}updated_at, ${a}version`;
};
export const TICKET_COLUMNS = ticketColumns();

export const toTicketView = (t: TicketRow): TicketView => ({
  id: t.id,
  number: t.number,
  subject: t.subject,
  status: t.status,
  priority: t.priority,
  type: t.type,
  channel: t.channel,
  requesterId: t.requester_id,
  assigneeId: t.assignee_id,
  groupId: t.group_id,
  customStatusId: t.custom_status_id,
  tags: t.tags,
  dueAt: t.due_at ? new Date(t.due_at).toISOString() : null,
  externalId: t.external_id,
  mergedIntoId: t.merged_into_id,
  mergedFrom: t.merged_from,
  formId: t.form_id,
  fields: t.fields ?? {},
  slaBreachAt: t.sla_breach_at ? new Date(t.sla_breach_at).toISOString() : null,
  // Overdue before the breach timer recorded it is breached all the same.
  slaState: t.sla_state === 'active' && t.sla_breach_at && new Date(t.sla_breach_at).getTime() <= Date.now() ? 'breached' : (t.sla_state ?? null),
  createdAt: new Date(t.created_at).toISOString(),
  updatedAt: new Date(t.updated_at).toISOString(),
  version: t.version,
});

/** The fields an update may change, and their columns. */
export const CHANGEABLE_COLUMNS = {
  subject: 'subject',
  status: 'status',
  priority: 'priority',
  type: 'type',
  assigneeId: 'assignee_id',
  groupId: 'group_id',
  customStatusId: 'custom_status_id',
  tags: 'tags',
  dueAt: 'due_at',
  externalId: 'external_id',
  formId: 'form_id',
} as const satisfies Partial<Record<keyof TicketView, string>>;
export type ChangeableField = keyof typeof CHANGEABLE_COLUMNS;

/** A tenant's first ticket number; later ones count up from the counter row. */
export const FIRST_TICKET_NUMBER = 1001;
/** A search term with this many matches in subjects or in messages is searched by walking the list (see `list`). */
export const SEARCH_SORT_LIMIT = 500;

export interface NewTicketRow {
  number: number;
  subject: string;
  priority: string;
  type: string;
  channel: string;
  requesterId: string;
  assigneeId: string | null;
  groupId: string | null;
  tags: string[];
  dueAt: string | null;
  externalId: string | null;
  formId: string | null;
}

/** One entry of a ticket's own timeline (separate from the audit log). */
export interface HistoryEntry {
  id: string;
  action: string;
  changes: Record<string, { from?: unknown; to?: unknown }>;
  actorType: string;
  actorId: string | null;
  createdAt: string;
}

export interface HistoryRow {
  id: string;
  position: string;
  action: string;
  changes: HistoryEntry['changes'];
  actor_type: string;
  actor_id: string | null;
  created_at: Date;
}

export const toHistoryEntry = (r: HistoryRow): HistoryEntry => ({
  id: r.id,
  action: r.action,
  changes: r.changes,
  actorType: r.actor_type,
  actorId: r.actor_id,
  createdAt: new Date(r.created_at).toISOString(),
});

/** A filter over one custom field, its key resolved to the field (see `resolveFieldConditions`). */
export interface FieldCondition {
  key: string;
  fieldId: string;
  column: ValueColumn;
  /** eq / in: equal to one of; gt, gte, lt, lte: a range (numbers and dates); any: has a value; none: has none. */
  op: FieldOp;
  /** eq, ranges: one value; in: several; any, none: nothing. Already checked against the field's type. */
  value?: string | boolean | string[];
}
export const FIELD_OPS = ['eq', 'in', 'gt', 'gte', 'lt', 'lte', 'any', 'none'] as const;
export type FieldOp = (typeof FIELD_OPS)[number];

/** Sorting by a custom field: its values' column, nulls last in either direction. */
export interface FieldSort {
  key: string;
  fieldId: string;
  column: Exclude<ValueColumn, 'value_options'>;
}

/** What a ticket list filters and sorts by; the keyset position comes decoded (`after`). */
export type TicketListCriteria = Omit<TicketFilter, 'cursor' | 'field' | 'sort'> & {
  sort: 'createdAt' | 'updatedAt' | 'slaBreachAt';
  /** The keyset position of an `slaBreachAt` sort: the deadline (null: past every deadline) and the id. */
  afterSla?: readonly [at: string | null, id: string];
  after?: readonly [at: string, id: string];
  /** Sort by a custom field instead (`sort`, then only the direction, is ignored); `afterField` is the keyset position: the value (null: past the values) and the id. */
  sortField?: FieldSort;
  afterField?: readonly [value: string | null, id: string];
  /** `q` read as a ticket number. */
  qNumber?: number;
  /** Contacts whose email `q` is: their tickets match. */
  qRequesterIds?: string[];
  fields?: FieldCondition[];
};

/** The filters a ticket list and a saved view share (everything but search text, sort and position). */
export type TicketConditionFilter = Pick<
  TicketFilter,
  'status' | 'customStatusId' | 'priority' | 'type' | 'channel' | 'assigneeId' | 'groupId' | 'requesterId' | 'tag' | 'createdFrom' | 'createdTo' | 'updatedFrom' | 'updatedTo' | 'slaState'
> & {
  /** Custom field conditions, all of which must hold; each reads the values' typed index (see fieldConditionSql). */
  fields?: FieldCondition[];
};

const CASTS: Record<ValueColumn, string> = { value_text: 'text', value_number: 'numeric', value_date: 'date', value_bool: 'boolean', value_uuid: 'uuid', value_options: 'text' };

/**
 * One custom field condition as SQL over `tickets t`. The typed comparison runs inside
 * `ticket_field_matches` (SECURITY DEFINER, the tenant predicate written out): under row-level
 * security most typed comparisons are not leakproof and could not use the typed index; the matching
 * ids then reach the tickets by primary key (`= ANY(ARRAY(…))`, as the search candidates do).
 * `none` needs no comparison: a NOT EXISTS on (tenant, ticket, field), the values' primary key.
 */
function fieldConditionSql(c: FieldCondition, bind: (value: unknown) => string): string {
  if (c.op === 'none') {
    return `NOT EXISTS (SELECT 1 FROM ticket_field_values v WHERE v.tenant_id = t.tenant_id AND v.ticket_id = t.id AND v.field_id = ${bind(c.fieldId)}::uuid)`;
  }
  const values = c.value === undefined ? [] : (Array.isArray(c.value) ? c.value : [c.value]).map(String);
  return `t.id = ANY (ARRAY(SELECT ticket_id FROM ticket_field_matches(${bind(c.fieldId)}::uuid, ${bind(c.column)}, ${bind(c.op)}, ${bind(values)}::text[])))`;
}

/** The value a custom-field sort orders by, for one ticket row `t` (texts by their first 200 characters, as indexed). */
export function fieldSortExpression(sort: FieldSort, bind: (value: unknown) => string): string {
  const value = sort.column === 'value_text' ? 'left(s.value_text, 200)' : `s.${sort.column}`;
  return `(SELECT ${value} FROM ticket_field_values s WHERE s.tenant_id = t.tenant_id AND s.field_id = ${bind(sort.fieldId)}::uuid AND s.ticket_id = t.id)`;
}

/**
 * The SLA state filters over the stored state (ADR 0045): a running target past its deadline is
 * breached even before its breach timer has recorded it; at risk is running, not yet overdue, and
 * past a target's warning instant (the policy's warning minutes).
 */
const SLA_STATE_CONDITIONS: Record<SlaStateFilter, string> = {
  breached: `(t.sla_state = 'breached' OR (t.sla_state = 'active' AND t.sla_breach_at <= now()))`,
  at_risk: `(t.sla_state = 'active' AND t.sla_breach_at > now() AND t.sla_warning_at <= now())`,
  active: `(t.sla_state = 'active' AND t.sla_breach_at > now())`,
  paused: `t.sla_state = 'paused'`,
  none: `t.sla_state IS NULL`,
};

/**
 * SQL conditions over `tickets t` for a filter; `bind` adds a parameter and answers its placeholder.
 * `none` for the assignee or the group means "no one" / "no group". Each condition is an equality or
 * a range on an indexed column, so a list or a view's count reads through the tenant's indexes.
 */
export function ticketConditions(filter: TicketConditionFilter, bind: (value: unknown) => string): string[] {
  const where: string[] = [];
  const add = (sql: string, value: unknown) => where.push(sql.replaceAll('?', bind(value)));
  if (filter.status?.length) add('t.status = ANY(?::text[])', filter.status);
  if (filter.customStatusId) add('t.custom_status_id = ?::uuid', filter.customStatusId);
  if (filter.priority) add('t.priority = ?', filter.priority);
  if (filter.type) add('t.type = ?', filter.type);
  if (filter.channel) add('t.channel = ?', filter.channel);
  if (filter.assigneeId === 'none') where.push('t.assignee_id IS NULL');
  else if (filter.assigneeId) add('t.assignee_id = ?::uuid', filter.assigneeId);
  if (filter.groupId === 'none') where.push('t.group_id IS NULL');
  else if (filter.groupId) add('t.group_id = ?::uuid', filter.groupId);
  if (filter.requesterId) add('t.requester_id = ?::uuid', filter.requesterId);
  if (filter.tag) add('t.tags @> ARRAY[?::text]', filter.tag.trim().toLowerCase());
  if (filter.createdFrom) add('t.created_at >= ?::timestamptz', filter.createdFrom);
  if (filter.createdTo) add('t.created_at < ?::timestamptz', filter.createdTo);
  if (filter.updatedFrom) add('t.updated_at >= ?::timestamptz', filter.updatedFrom);
  if (filter.updatedTo) add('t.updated_at < ?::timestamptz', filter.updatedTo);
  if (filter.slaState) where.push(SLA_STATE_CONDITIONS[filter.slaState]);
  for (const condition of filter.fields ?? []) where.push(fieldConditionSql(condition, bind));
  return where;
}

export const ticketSql = {
  byId: (tenantId: string, id: string, lock = false): Statement => ({
    sql: `SELECT ${TICKET_COLUMNS} FROM tickets WHERE tenant_id = $1 AND id = $2 AND deleted_at IS NULL${lock ? ' FOR UPDATE' : ''}`,
    params: [tenantId, id],
  }),

  /** The next per-tenant number; the counter row's lock serialises only ticket creation in that tenant. */
  nextNumber: (tenantId: string): Statement => ({
    sql: `INSERT INTO ticket_counters (tenant_id, last_number) VALUES ($1, $2)
           ON CONFLICT (tenant_id) DO UPDATE SET last_number = ticket_counters.last_number + 1 RETURNING last_number`,
    params: [tenantId, FIRST_TICKET_NUMBER],
  }),

  insert: (tenantId: string, t: NewTicketRow): Statement => ({
    sql: `INSERT INTO tickets (tenant_id, number, subject, priority, type, channel, requester_id, assignee_id, group_id, tags, due_at, external_id, form_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING ${TICKET_COLUMNS}`,
    params: [tenantId, t.number, t.subject, t.priority, t.type, t.channel, t.requesterId, t.assigneeId, t.groupId, t.tags, t.dueAt, t.externalId, t.formId],
  }),

  /** Only custom field values changed: a new version all the same. */
  touch: (tenantId: string, id: string): Statement => ({
    sql: `UPDATE tickets SET updated_at = now(), version = version + 1 WHERE tenant_id = $1 AND id = $2`,
    params: [tenantId, id],
  }),

  /** Sets the given fields and counts the version up. */
  update: (tenantId: string, id: string, values: Partial<Record<ChangeableField, unknown>>): Statement => {
    const fields = Object.keys(values) as ChangeableField[];
    const unknown = fields.filter((f) => !Object.hasOwn(CHANGEABLE_COLUMNS, f));
    if (fields.length === 0 || unknown.length > 0) throw new Error(`A ticket update sets one or more of ${Object.keys(CHANGEABLE_COLUMNS).join(', ')} (got ${fields.join(', ') || 'nothing'})`);
    return {
      sql: `UPDATE tickets SET ${fields.map((f, i) => `${CHANGEABLE_COLUMNS[f]} = $${i + 3}`).join(', ')}, updated_at = now(), version = version + 1
      WHERE tenant_id = $1 AND id = $2`,
      params: [tenantId, id, ...fields.map((f) => values[f])],
    };
  },

  /** A message was added: the status it moves to (maybe unchanged), and a new version. */
  touchAfterMessage: (tenantId: string, id: string, status: Status): Statement => ({
    // A move to another category leaves the custom status (it named a status of the old one).
    sql: `UPDATE tickets SET custom_status_id = CASE WHEN status = $3 THEN custom_status_id END, status = $3, updated_at = now(), version = version + 1
          WHERE tenant_id = $1 AND id = $2`,
    params: [tenantId, id, status],
  }),

  /** Moves every ticket of one requester to another; answers the moved ids with their new versions. */
  reassignRequester: (tenantId: string, from: string, to: string): Statement => ({
    sql: `WITH u AS (UPDATE tickets SET requester_id = $2, updated_at = now(), version = version + 1
                   WHERE tenant_id = $1 AND requester_id = $3 RETURNING id, version) SELECT id, version FROM u`,
    params: [tenantId, to, from],
  }),

  /**
   * Filtered, sorted, keyset-paginated tickets (one more than `limit`, to tell whether a next page
   * exists). `q` is Postgres full text (websearch syntax) over the subject and every message;
   * operators in the query are treated as text, never as SQL.
   */
  list: (tenantId: string, filter: TicketListCriteria): Statement => {
    const params: unknown[] = [tenantId, filter.limit + 1];
    const where = ['t.tenant_id = $1', 't.deleted_at IS NULL', ...ticketConditions(filter, (value) => `$${params.push(value)}`)];
    const q = filter.q?.trim();
    const bind = (value: unknown) => `$${params.push(value)}`;
    const direction = filter.order === 'asc' ? 'ASC' : 'DESC';
    let columns = ticketColumns('t');
    let order: string;
    if (filter.sortField) {
      // Nulls last in both directions; the keyset position is (value, id), a null value past every value.
      const value = fieldSortExpression(filter.sortField, bind);
      const cast = CASTS[filter.sortField.column];
      const cmp = direction === 'DESC' ? '<' : '>';
      if (filter.afterField) {
        const [at, id] = filter.afterField;
        where.push(
          at === null
            ? `(${value} IS NULL AND t.id ${cmp} ${bind(id)}::uuid)`
            : `(${value} ${cmp} ${bind(at)}::${cast} OR (${value} = ${bind(at)}::${cast} AND t.id ${cmp} ${bind(id)}::uuid) OR ${value} IS NULL)`,
        );
      }
      columns += `, ${value} AS sort_value`;
      order = `ORDER BY sort_value ${direction} NULLS LAST, t.id ${direction}`;
    } else if (filter.sort === 'slaBreachAt') {
      // Nulls last in both directions, as a custom field sort: (deadline, id), no deadline past every deadline.
      const cmp = direction === 'DESC' ? '<' : '>';
      if (filter.afterSla) {
        const [at, id] = filter.afterSla;
        where.push(
          at === null
            ? `(t.sla_breach_at IS NULL AND t.id ${cmp} ${bind(id)}::uuid)`
            : `(t.sla_breach_at ${cmp} ${bind(at)}::timestamptz OR (t.sla_breach_at = ${bind(at)}::timestamptz AND t.id ${cmp} ${bind(id)}::uuid) OR t.sla_breach_at IS NULL)`,
        );
      }
      order = `ORDER BY t.sla_breach_at ${direction} NULLS LAST, t.id ${direction}`;
    } else {
      const column = filter.sort === 'updatedAt' ? 't.updated_at' : 't.created_at';
      if (filter.after) {
        const [at, id] = filter.after;
        where.push(`(${column}, t.id) ${direction === 'DESC' ? '<' : '>'} ($${params.push(at)}::timestamptz, $${params.push(id)}::uuid)`);
      }
      order = `ORDER BY ${column} ${direction}, t.id ${direction}`;
    }
    if (!q) return { sql: `SELECT ${columns} FROM tickets t WHERE ${where.join(' AND ')} ${order} LIMIT $2`, params };
    // Full text under row-level security: `@@` is not leakproof, so inline it could only filter
    // rows the list walk reaches. Candidates come from the GIN indexes through a SECURITY DEFINER
    // function (the policy's tenant predicate inside) and are joined back under the policy. A
    // term with SEARCH_SORT_LIMIT matches in one source is frequent enough that walking the list
    // in order finds a page sooner than sorting every match: then the walk filters inline, its
    // message matches read through the messages' GIN index too. Each branch runs only when its
    // one-time condition holds; the candidates are looked up by primary key (`= ANY(ARRAY(…))`).
    // The words as written, or their English stems ("radiators" finds "radiator"): see the stemming migration.
    const text = `$${params.push(q)}`;
    const query = `(websearch_to_tsquery('simple', ${text}) || websearch_to_tsquery('english', ${text}))`;
    const cap = `$${params.push(SEARCH_SORT_LIMIT)}::int`;
    // A ticket number ("#42", "42") and the requester (contacts whose email matched `q`) match too;
    // equality on those columns is leakproof, so they run under the policy directly.
    const direct: string[] = [];
    if (filter.qNumber !== undefined) direct.push(`t.number = $${params.push(filter.qNumber)}::int`);
    if (filter.qRequesterIds?.length) direct.push(`t.requester_id = ANY($${params.push(filter.qRequesterIds)}::uuid[])`);
    const directMatch = direct.length > 0 ? ` OR ${direct.join(' OR ')}` : '';
    const directCandidates = direct.length > 0 ? ` UNION ALL SELECT t.id FROM tickets t WHERE t.tenant_id = $1 AND (${direct.join(' OR ')})` : '';
    const matches = `(t.search @@ ${query} OR t.id IN (SELECT ticket_id FROM ticket_message_matches(${query}))${directMatch})`;
    return {
      sql: `WITH c AS MATERIALIZED (SELECT id FROM ticket_search_candidates(${query}, ${cap})${directCandidates}),
                 frequent AS (SELECT count(*) >= ${cap} AS yes FROM c)
            SELECT * FROM (
              (SELECT ${columns} FROM tickets t WHERE NOT (SELECT yes FROM frequent) AND t.id = ANY (ARRAY(SELECT id FROM c)) AND ${where.join(' AND ')} ${order} LIMIT $2)
              UNION ALL
              (SELECT ${columns} FROM tickets t WHERE (SELECT yes FROM frequent) AND ${matches} AND ${where.join(' AND ')} ${order} LIMIT $2)
            ) t ${order} LIMIT $2`,
      params,
    };
  },

  /** Tickets by (updated_at, id) from a position: at it (`inclusive`, the first call) or strictly after it. */
  changedSince: (tenantId: string, from: readonly [at: string, id: string], inclusive: boolean, limit: number): Statement => ({
    sql: `SELECT ${TICKET_COLUMNS} FROM tickets
          WHERE tenant_id = $1 AND deleted_at IS NULL AND (updated_at, id) ${inclusive ? '>=' : '>'} ($2::timestamptz, $3::uuid)
          ORDER BY updated_at, id LIMIT $4`,
    params: [tenantId, from[0], from[1], limit],
  }),

  /** The tags this tenant used most on its recently changed tickets. */
  knownTags: (tenantId: string): Statement => ({
    sql: `SELECT tag FROM (SELECT unnest(tags) AS tag FROM tickets WHERE tenant_id = $1 AND deleted_at IS NULL ORDER BY updated_at DESC LIMIT 2000) t
        GROUP BY tag ORDER BY count(*) DESC, tag LIMIT 50`,
    params: [tenantId],
  }),

  recordHistory: (
    tenantId: string,
    ticketId: string,
    action: string,
    changes: Record<string, { from?: unknown; to?: unknown }>,
    actor: { type: string; id: string | null },
  ): Statement => ({
    sql: `INSERT INTO ticket_events (tenant_id, ticket_id, action, changes, actor_type, actor_id) VALUES ($1, $2, $3, $4::jsonb, $5, $6)`,
    params: [tenantId, ticketId, action, JSON.stringify(changes), actor.type, actor.id],
  }),

  /** Newest first, one more than `limit`; `before` is a position, `field` keeps entries that changed it. */
  history: (tenantId: string, ticketId: string, page: { limit: number; before?: string | number; field?: string }): Statement => {
    const params: unknown[] = [tenantId, ticketId, page.limit + 1];
    let before = '';
    if (page.before !== undefined) before = `AND position < $${params.push(page.before)}::bigint`;
    // A field's history lists real changes: a ticket created without a value records `{to: null}`, which is not one.
    if (page.field) before += ` AND jsonb_strip_nulls(changes -> $${params.push(page.field)}) <> '{}'::jsonb`;
    return {
      sql: `SELECT id, position, action, changes, actor_type, actor_id, created_at FROM ticket_events
            WHERE tenant_id = $1 AND ticket_id = $2 ${before} ORDER BY position DESC LIMIT $3`,
      params,
    };
  },
};
