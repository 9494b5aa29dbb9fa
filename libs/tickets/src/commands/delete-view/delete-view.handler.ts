import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { assertMayManage } from '../../domain/views';
import { ViewsRepository } from '../../repositories/views.repository';
import { viewerOf } from '../../queries/list-views/viewer';
import { PersonalViewChanged, ViewChanged } from '../../tickets.context';
import { DeleteViewCommand } from './delete-view.command';

/** Deletes a view for good (nothing refers to views); a view the caller cannot see is a 404. */
@CommandHandler(DeleteViewCommand)
export class DeleteViewHandler implements ICommandHandler<DeleteViewCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly views: ViewsRepository,
  ) {}

  execute({ context, viewId, configures }: DeleteViewCommand): Promise<void> {
    const actorId = context.actorType === 'user' || context.actorType === undefined ? context.actorId : null;
    return this.tx.run(context, async (tx) => {
      const [view] = await this.views.visible(tx, await viewerOf(tx, this.views, actorId, configures), [viewId]);
      if (!view) throw notFound('View', viewId);
      assertMayManage(view.scope, view.ownerId, actorId, configures);
      await this.views.delete(tx, view.id);
      await tx.audit({ action: 'ticket_view.deleted', entityType: 'ticket_view', entityId: view.id, before: { ...view } });
      if (view.scope === 'personal') await tx.emit(PersonalViewChanged.of(view.id, { op: 'deleted', view: null, ownerId: view.ownerId! }));
      else await tx.emit(ViewChanged.of(view.id, { op: 'deleted', view: null }));
    });
  }
}
