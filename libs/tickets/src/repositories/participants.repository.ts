import { Injectable } from '@nestjs/common';
import type { TenantTx } from '@switchboard/platform';
import { execute } from './execute';
import { participantSql, toParticipantView, type ParticipantRole, type ParticipantRow, type ParticipantView } from './participants.sql';

/** A ticket's CCs and followers for handlers; SQL stays in `participants.sql.ts`. Every method runs in the handler's transaction. */
@Injectable()
export class ParticipantsRepository {
  /** Adds the participant; its created_at, or undefined when it was there already. */
  async add(tx: TenantTx, ticketId: string, role: ParticipantRole, participantId: string): Promise<Date | undefined> {
    const [row] = await execute<{ created_at: Date }[]>(tx, participantSql.add(tx.tenantId, ticketId, role, participantId));
    return row?.created_at;
  }

  /** Removes the participant; its created_at, or undefined when there was none. */
  async remove(tx: TenantTx, ticketId: string, role: ParticipantRole, participantId: string): Promise<Date | undefined> {
    const [row] = await execute<{ created_at: Date }[]>(tx, participantSql.remove(tx.tenantId, ticketId, role, participantId));
    return row?.created_at;
  }

  /** When the participant was added; undefined when it is not one. */
  async addedAt(tx: TenantTx, ticketId: string, role: ParticipantRole, participantId: string): Promise<Date | undefined> {
    const [row] = await execute<{ created_at: Date }[]>(tx, participantSql.createdAt(tx.tenantId, ticketId, role, participantId));
    return row?.created_at;
  }

  async ofTicket(tx: TenantTx, ticketId: string): Promise<ParticipantView[]> {
    return (await execute<ParticipantRow[]>(tx, participantSql.ofTicket(tx.tenantId, ticketId))).map(toParticipantView);
  }
}
