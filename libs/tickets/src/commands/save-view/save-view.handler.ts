import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, ProblemException, staleVersion, TenantTransaction, type TenantTx } from '@switchboard/platform';
import { assertLiveGroup } from '../../domain/groups';
import { assertMayManage, assertScopeShape, invalidView, MAX_VIEWS_PER_OWNER, type ViewFilter } from '../../domain/views';
import { resolveFieldConditions, resolveFieldSort } from '../../domain/field-filters';
import { GroupsRepository } from '../../repositories/groups.repository';
import { TicketsRepository } from '../../repositories/tickets.repository';
import { ViewsRepository } from '../../repositories/views.repository';
import type { ViewFields, ViewView } from '../../repositories/views.sql';
import { PersonalViewChanged, ViewChanged } from '../../tickets.context';
import { viewerOf } from '../../queries/list-views/viewer';
import { SaveViewCommand } from './save-view.command';

/**
 * A saved view, created or changed: personal views belong to the member who makes them, group and
 * shared views to the help desk's configurers. The groups a view names must be live groups of the tenant.
 */
@CommandHandler(SaveViewCommand)
export class SaveViewHandler implements ICommandHandler<SaveViewCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly views: ViewsRepository,
    private readonly groups: GroupsRepository,
    private readonly tickets: TicketsRepository,
  ) {}

  execute({ context, viewId, input, configures, expectedVersion }: SaveViewCommand): Promise<ViewView> {
    const actorId = context.actorType === 'user' || context.actorType === undefined ? context.actorId : null;
    return this.tx.run(context, async (tx) => {
      const before = viewId ? await this.findVisible(tx, viewId, actorId, configures) : undefined;
      if (before) {
        assertMayManage(before.scope, before.ownerId, actorId, configures);
        if (expectedVersion !== null && expectedVersion !== before.version) throw staleVersion('view', expectedVersion, before.version);
      }
      const scope = input.scope ?? before?.scope ?? 'personal';
      const groupId = scope === 'group' ? (input.groupId !== undefined ? input.groupId : (before?.groupId ?? null)) : (input.groupId ?? null);
      assertScopeShape(scope, groupId);
      if (scope === 'personal' && !actorId) throw invalidView('scope', 'A personal view belongs to a signed-in member; an API key can make group or shared views.');
      const next: ViewFields = {
        name: input.name ?? before?.name ?? '',
        scope,
        ownerId: scope === 'personal' ? (before?.scope === 'personal' ? before.ownerId : actorId) : null,
        groupId,
        filter: input.filter ?? before?.filter ?? {},
        sort: input.sort ?? before?.sort ?? 'createdAt',
        order: input.order ?? before?.order ?? 'desc',
        position: input.position ?? before?.position ?? 0,
      };
      if (!next.name) throw invalidView('name', 'A view needs a name.');
      assertMayManage(next.scope, next.ownerId, actorId, configures);
      if (next.groupId) await assertLiveGroup(tx, this.groups, next.groupId);
      await this.assertFilterReferences(tx, next.filter, next.sort);
      if (!before || before.ownerId !== next.ownerId) {
        if ((await this.views.countOwned(tx, next.ownerId)) >= MAX_VIEWS_PER_OWNER) {
          throw new ProblemException({
            status: 409,
            type: 'conflict',
            title: 'Conflict',
            detail: `${next.ownerId ? 'A member' : 'A tenant'} keeps at most ${MAX_VIEWS_PER_OWNER} ${next.ownerId ? 'personal' : 'group and shared'} views; delete one first.`,
          });
        }
      }
      const after = before ? await this.views.update(tx, before.id, next) : await this.views.insert(tx, next, actorId);
      await tx.audit({
        action: before ? 'ticket_view.updated' : 'ticket_view.created',
        entityType: 'ticket_view',
        entityId: after.id,
        before: before ? { ...before } : undefined,
        after: { ...next },
      });
      const op = before ? 'updated' : 'created';
      // A view that stops being personal (or becomes personal) is news for both audiences.
      if (after.scope === 'personal' || before?.scope === 'personal') await tx.emit(PersonalViewChanged.of(after.id, { op, view: after, ownerId: after.ownerId ?? before!.ownerId! }));
      if (after.scope !== 'personal' || (before && before.scope !== 'personal')) await tx.emit(ViewChanged.of(after.id, { op, view: after.scope === 'personal' ? null : after }));
      return after;
    });
  }

  private async findVisible(tx: TenantTx, viewId: string, actorId: string | null, configures: boolean): Promise<ViewView> {
    const viewer = await viewerOf(tx, this.views, actorId, configures);
    const [view] = await this.views.visible(tx, viewer, [viewId]);
    if (!view) throw notFound('View', viewId);
    return (await this.views.find(tx, view.id, true))!;
  }

  /** A view naming a group names a live one (`none`, no group, is fine); its custom field conditions and sort name live fields and fit their types. */
  private async assertFilterReferences(tx: TenantTx, filter: ViewFilter, sort: string): Promise<void> {
    if (filter.groupId && filter.groupId !== 'none') await assertLiveGroup(tx, this.groups, filter.groupId, 'filter.groupId');
    const sortKey = sort.startsWith('field:') ? sort.slice('field:'.length) : undefined;
    if (!filter.field?.length && !sortKey) return;
    const rules = await this.tickets.fieldRules(tx);
    if (filter.field?.length) resolveFieldConditions(rules, filter.field, 'filter.field');
    if (sortKey) resolveFieldSort(rules, sortKey, 'sort');
  }
}
