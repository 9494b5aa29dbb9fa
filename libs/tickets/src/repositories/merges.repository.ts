import { Injectable } from '@nestjs/common';
import type { TenantTx } from '@switchboard/platform';
import { execute } from './execute';
import { mergesSql } from './merges.sql';
import { toTicketView, type TicketRow, type TicketView } from './tickets.sql';

export interface MergeMoved {
  messages: number;
  attachments: number;
  participants: number;
  history: number;
}

/** Ticket merges (SQL in `merges.sql.ts`), in the merge's transaction. */
@Injectable()
export class MergesRepository {
  /** Locked for the rest of the transaction; `deleted` for a ticket that was deleted. */
  async lock(tx: TenantTx, id: string): Promise<(TicketView & { deleted: boolean }) | undefined> {
    const [row] = await execute<(TicketRow & { deleted: boolean })[]>(tx, mergesSql.lock(tx.tenantId, id));
    return row ? { ...toTicketView(row), deleted: row.deleted } : undefined;
  }

  /** Moves what belongs to the conversation; answers how many of each moved. */
  async moveContent(tx: TenantTx, from: TicketView, to: TicketView): Promise<MergeMoved> {
    const n = async (statement: ReturnType<typeof mergesSql.moveMessages>) => (await execute<{ n: number }[]>(tx, statement))[0]!.n;
    const messages = await n(mergesSql.moveMessages(tx.tenantId, from.id, to.id));
    const attachments = await n(mergesSql.moveAttachments(tx.tenantId, from.id, to.id));
    const history = await n(mergesSql.moveHistory(tx.tenantId, from.id, to.id));
    let participants = await n(mergesSql.moveParticipants(tx.tenantId, from.id, to.id));
    if (from.requesterId !== to.requesterId) participants += await n(mergesSql.ccRequester(tx.tenantId, to.id, from.requesterId));
    return { messages, attachments, participants, history };
  }

  async closeSource(tx: TenantTx, id: string, targetId: string): Promise<void> {
    await execute(tx, mergesSql.closeSource(tx.tenantId, id, targetId));
  }

  async extendTarget(tx: TenantTx, id: string, sourceId: string, tags: string[]): Promise<void> {
    await execute(tx, mergesSql.extendTarget(tx.tenantId, id, sourceId, tags));
  }
}
