import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '../../../database/tenant-transaction';
import { ProblemException } from '../../../http/problem';
import { OUTBOX_COLUMNS, toEnvelope, type OutboxRow } from '../../../outbox/outbox.sql';
import { ContextRegistry } from '../../../registry/context-registry';
import { mayReceive, toConsoleEvent, type ConsoleEvent, type ConsoleViewer } from '../../console-events';
import { ReplayConsoleEventsQuery, type ReplayPage } from './replay-events.query';

/**
 * Transactions that started before the anchor's may commit after it on a real Postgres (positions
 * are taken at insert time), so a replay also returns the events written shortly before the anchor;
 * clients drop the ones they hold by eventId.
 */
const OVERLAP_SECONDS = 5;
const OVERLAP_ROWS = 50;
const COLUMNS = `position, ${OUTBOX_COLUMNS}`;

type Row = OutboxRow & { position: string };

/** The console's catch-up after a disconnect, read from the outbox (the tenant's event log). */
@QueryHandler(ReplayConsoleEventsQuery)
export class ReplayConsoleEventsHandler implements IQueryHandler<ReplayConsoleEventsQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly registry: ContextRegistry,
  ) {}

  execute({ tenantId, after, limit, viewer }: ReplayConsoleEventsQuery): Promise<ReplayPage> {
    const types = this.registry.consoleEventTypes;
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      const m = tx.manager;
      if (after === null) {
        const rows: Row[] = await m.query(
          `SELECT ${COLUMNS} FROM outbox WHERE tenant_id = $1 AND type = ANY($2::text[]) ORDER BY position DESC LIMIT $3`,
          [tenantId, types, limit],
        );
        rows.reverse();
        return { data: this.toEvents(rows, viewer), hasMore: false, lastEventId: rows.at(-1)?.id ?? null };
      }
      const [anchor]: { position: string; occurred_at: Date }[] = await m.query(`SELECT position, occurred_at FROM outbox WHERE tenant_id = $1 AND id = $2`, [tenantId, after]);
      if (!anchor) {
        throw new ProblemException({
          status: 404,
          type: 'event-not-found',
          title: 'Not Found',
          detail: `Event ${after} is not in this tenant's event log; reload your lists and continue from the newest event (GET /v1/events without "after").`,
        });
      }
      const overlap: Row[] = await m.query(
        `SELECT ${COLUMNS} FROM outbox
          WHERE tenant_id = $1 AND position < $2 AND type = ANY($3::text[]) AND occurred_at >= $4::timestamptz - make_interval(secs => ${OVERLAP_SECONDS})
          ORDER BY position DESC LIMIT ${OVERLAP_ROWS}`,
        [tenantId, anchor.position, types, anchor.occurred_at],
      );
      const rows: Row[] = await m.query(
        `SELECT ${COLUMNS} FROM outbox WHERE tenant_id = $1 AND position > $2 AND type = ANY($3::text[]) ORDER BY position LIMIT $4`,
        [tenantId, anchor.position, types, limit + 1],
      );
      const hasMore = rows.length > limit;
      const page = rows.slice(0, limit);
      return { data: this.toEvents([...overlap.reverse(), ...page], viewer), hasMore, lastEventId: page.at(-1)?.id ?? after };
    });
  }

  /** The cursor stays the last row read, so events the viewer may not see are skipped, not re-read. */
  private toEvents(rows: Row[], viewer: ConsoleViewer | null): ConsoleEvent[] {
    const events: ConsoleEvent[] = [];
    for (const row of rows) {
      const envelope = toEnvelope(row);
      const mapping = this.registry.consoleMapping(envelope);
      if (!mapping || (viewer && !mayReceive(mapping, envelope, viewer))) continue;
      const event = toConsoleEvent(this.registry, envelope);
      if (event) events.push(event);
    }
    return events;
  }
}
