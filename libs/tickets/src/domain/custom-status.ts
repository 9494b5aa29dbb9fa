import { ProblemException, type TenantTx } from '@switchboard/platform';
import { execute } from '../repositories/execute';
import { statusesSql, toStatusView, type StatusRow } from '../repositories/statuses.sql';
import type { Status } from './ticket';

/** What a ticket shows for each category when it has no custom status. */
export const DEFAULT_STATUS_LABELS: Record<Status, string> = { new: 'New', open: 'Open', pending: 'Pending', on_hold: 'On hold', solved: 'Solved', closed: 'Closed' };

const unprocessable = (detail: string) => new ProblemException({ status: 422, type: 'invalid-reference', title: 'Unprocessable Content', detail, errors: [{ field: 'customStatusId', message: detail }] });

/**
 * A change's status and custom status, made consistent: a custom status sets the category (its
 * `status`), and must be an active status of this tenant; a status alone moves to another
 * category's default (the old custom status named the old category); both given must agree.
 * Mutates `wanted`; the lifecycle guard then applies to the category as always.
 */
export async function resolveCustomStatus(tx: TenantTx, current: { status: Status; customStatusId: string | null }, wanted: { status?: Status; customStatusId?: string | null }): Promise<void> {
  if (wanted.customStatusId) {
    const [row] = await execute<StatusRow[]>(tx, statusesSql.find(tx.tenantId, wanted.customStatusId));
    const custom = row ? toStatusView(row) : undefined;
    if (!custom) throw unprocessable(`Status ${wanted.customStatusId} does not exist; GET /v1/ticket-statuses lists this tenant's statuses.`);
    if (!custom.active && custom.id !== current.customStatusId) throw unprocessable(`Status "${custom.agentLabel}" was deactivated; choose another status.`);
    if (wanted.status && wanted.status !== custom.category) {
      throw unprocessable(`Status "${custom.agentLabel}" is a ${custom.category} status, but the change also sets status ${wanted.status}; send one of them, or both agreeing.`);
    }
    wanted.status = custom.category;
    return;
  }
  if (wanted.customStatusId === undefined && wanted.status && wanted.status !== current.status) wanted.customStatusId = null;
}
