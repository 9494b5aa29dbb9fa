import { notFound, ProblemException } from '@switchboard/platform';
import type { TicketView } from '../../repositories/tickets.sql';

type Locked = TicketView & { deleted: boolean };

const conflict = (type: string, detail: string, extensions?: Record<string, unknown>) => new ProblemException({ status: 409, type, title: 'Conflict', detail, extensions });

/**
 * Which merges are refused, and how: a ticket into itself (422); a source or target that is
 * missing or another tenant's (404, like any unknown id); a deleted, closed or already merged one
 * (409, naming it, and for a merged one where it went).
 */
export function assertMergeable(sourceId: string, targetId: string, source: Locked | undefined, target: Locked | undefined): asserts source is Locked {
  if (sourceId === targetId) {
    throw new ProblemException({ status: 422, type: 'merge-into-self', title: 'Unprocessable Content', detail: 'A ticket cannot be merged into itself; choose another target.', errors: [{ field: 'targetId', message: 'must be another ticket' }] });
  }
  if (!source || source.deleted) throw notFound('Ticket', sourceId);
  if (!target) throw notFound('Ticket', targetId);
  if (source.mergedIntoId) throw conflict('ticket-merged', `Ticket #${source.number} was already merged into ticket ${source.mergedIntoId}.`, { mergedIntoId: source.mergedIntoId });
  if (source.status === 'closed') throw conflict('ticket-closed', `Ticket #${source.number} is closed; a closed ticket cannot be merged.`);
  if (target.deleted) throw conflict('merge-target-deleted', `Ticket #${target.number} was deleted; merge into a ticket that still exists.`);
  if (target.mergedIntoId) {
    throw conflict('merge-target-merged', `Ticket #${target.number} was itself merged into ticket ${target.mergedIntoId}; merge into that one instead.`, { mergedIntoId: target.mergedIntoId });
  }
  if (target.status === 'closed') throw conflict('merge-target-closed', `Ticket #${target.number} is closed; merge into an open ticket, or create a follow-up.`);
}
