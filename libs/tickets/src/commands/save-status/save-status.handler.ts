import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, ProblemException, staleVersion, TenantTransaction } from '@switchboard/platform';
import { StatusesRepository } from '../../repositories/statuses.repository';
import type { StatusFields, StatusView } from '../../repositories/statuses.sql';
import { CustomStatusChanged } from '../../tickets.context';
import { SaveStatusCommand } from './save-status.command';

/** A tenant keeps a readable set of statuses. */
export const MAX_CUSTOM_STATUSES = 100;

const problem = (status: number, field: string, detail: string) =>
  new ProblemException({ status, type: status === 409 ? 'conflict' : 'validation', title: status === 409 ? 'Conflict' : 'Unprocessable Content', detail, errors: [{ field, message: detail }] });

/** A custom status, created or changed (its category fixed at creation); audited and announced. */
@CommandHandler(SaveStatusCommand)
export class SaveStatusHandler implements ICommandHandler<SaveStatusCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly statuses: StatusesRepository,
  ) {}

  execute({ context, statusId, input, expectedVersion }: SaveStatusCommand): Promise<StatusView> {
    return this.tx.run(context, async (tx) => {
      const before = statusId ? await this.statuses.find(tx, statusId, true) : undefined;
      if (statusId && !before) throw notFound('Status', statusId);
      if (before && expectedVersion !== null && expectedVersion !== before.version) throw staleVersion('status', expectedVersion, before.version);
      if (before && input.category && input.category !== before.category) {
        throw problem(422, 'category', `A status keeps its category (${before.category}); create a ${input.category} status instead and move tickets to it.`);
      }
      const next: StatusFields = {
        category: before?.category ?? input.category!,
        agentLabel: input.agentLabel ?? before!.agentLabel,
        endUserLabel: input.endUserLabel !== undefined ? input.endUserLabel : (before?.endUserLabel ?? null),
        description: input.description !== undefined ? input.description : (before?.description ?? null),
        active: input.active ?? before?.active ?? true,
        position: input.position ?? before?.position ?? 0,
      };
      if (!before && (await this.statuses.count(tx)) >= MAX_CUSTOM_STATUSES) throw problem(409, 'category', `A tenant has at most ${MAX_CUSTOM_STATUSES} custom statuses.`);
      if ((!before || before.agentLabel.toLowerCase() !== next.agentLabel.toLowerCase()) && (await this.statuses.labelTaken(tx, next.agentLabel, before?.id ?? null))) {
        throw problem(409, 'agentLabel', `A status labelled "${next.agentLabel}" already exists; labels are unique (ignoring case).`);
      }
      const after = before ? await this.statuses.update(tx, before.id, next) : await this.statuses.insert(tx, next);
      const op = before ? 'updated' : 'created';
      await tx.audit({ action: `ticket_status.${op}`, entityType: 'ticket_status', entityId: after.id, before: before ? { ...before } : undefined, after: { ...next } });
      await tx.emit(CustomStatusChanged.of(after.id, { op, status: after }));
      return after;
    });
  }
}
