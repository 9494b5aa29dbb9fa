import { Injectable } from '@nestjs/common';
import type { TenantTx } from '@switchboard/platform';
import type { ConfirmedAttribute } from '../domain/close-out';
import { closeOutsSql, toCloseOutView, type CloseOutRow, type CloseOutView, type NewCloseOut, type ResolvedNextAction } from './close-outs.sql';
import { execute } from './execute';

/** Jobs' close-outs and the follow-ups they leave (SQL in `close-outs.sql.ts`); every method runs in the handler's transaction. */
@Injectable()
export class CloseOutsRepository {
  async find(tx: TenantTx, jobId: string, forUpdate = false): Promise<CloseOutView | undefined> {
    const [row] = await execute<CloseOutRow[]>(tx, closeOutsSql.find(tx.tenantId, jobId, forUpdate));
    return row ? toCloseOutView(row) : undefined;
  }

  /** Undefined when the job's close-out was already finalized (it stays as it was). */
  async saveDraft(tx: TenantTx, jobId: string, draft: NewCloseOut): Promise<CloseOutView | undefined> {
    const [row] = await execute<CloseOutRow[]>(tx, closeOutsSql.saveDraft(tx.tenantId, jobId, draft));
    return row ? toCloseOutView(row) : undefined;
  }

  async finalize(tx: TenantTx, jobId: string, attributes: { confirmed: ConfirmedAttribute[]; dropped: string[] }, nextAction: ResolvedNextAction): Promise<CloseOutView | undefined> {
    const [row] = await execute<CloseOutRow[]>(tx, closeOutsSql.finalize(tx.tenantId, jobId, attributes, nextAction, tx.context.actorId));
    return row ? toCloseOutView(row) : undefined;
  }

  async insertFollowUp(tx: TenantTx, jobId: string, contactId: string, dueOn: string): Promise<{ id: string; dueOn: string }> {
    const [row] = await execute<{ id: string; due_on: string }[]>(tx, closeOutsSql.insertFollowUp(tx.tenantId, jobId, contactId, dueOn, tx.context.actorId));
    return { id: row.id, dueOn: row.due_on };
  }
}
