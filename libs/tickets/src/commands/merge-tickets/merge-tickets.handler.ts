import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { staleVersion, TenantTransaction } from '@switchboard/platform';
import { MergesRepository } from '../../repositories/merges.repository';
import { TicketsRepository } from '../../repositories/tickets.repository';
import { TicketMerged, TicketStatusChanged, TicketUpdated } from '../../tickets.context';
import { assertMergeable } from './merge-rules';
import { MergeTicketsCommand, type TicketsMerged } from './merge-tickets.command';

/**
 * One transaction. Both tickets are locked in id order whichever way the merge goes, so two agents
 * merging A→B and B→A at once queue on the same first lock: the second then finds its target
 * merged (409) and the first merge stands whole — one surviving ticket, every message in it.
 */
@CommandHandler(MergeTicketsCommand)
export class MergeTicketsHandler implements ICommandHandler<MergeTicketsCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly tickets: TicketsRepository,
    private readonly merges: MergesRepository,
  ) {}

  execute(command: MergeTicketsCommand): Promise<TicketsMerged> {
    const { context, expectedVersion } = command;
    // One spelling per id, so `A` and `a` are the same ticket and sort (lock) the same way.
    const sourceId = command.sourceId.toLowerCase();
    const targetId = command.targetId.toLowerCase();
    return this.tx.run(context, async (tx) => {
      const locked = new Map<string, Awaited<ReturnType<MergesRepository['lock']>>>();
      for (const id of [...new Set([sourceId, targetId])].sort()) locked.set(id, await this.merges.lock(tx, id));
      const source = locked.get(sourceId);
      const target = locked.get(targetId);
      assertMergeable(sourceId, targetId, source, target);
      if (expectedVersion !== null && source.version !== expectedVersion) throw staleVersion('ticket', expectedVersion, source.version);
      const into = target!;

      const moved = await this.merges.moveContent(tx, source, into);
      const tags = [...new Set([...into.tags, ...source.tags])].sort();
      await this.merges.closeSource(tx, sourceId, targetId);
      await this.merges.extendTarget(tx, targetId, sourceId, tags);
      const sourceAfter = (await this.tickets.find(tx, sourceId))!;
      const targetAfter = (await this.tickets.find(tx, targetId))!;

      const sourceDelta = { status: { from: source.status, to: sourceAfter.status }, mergedIntoId: { from: null, to: targetId } };
      const targetDelta = {
        mergedFrom: { from: into.mergedFrom, to: targetAfter.mergedFrom },
        ...(JSON.stringify(tags) !== JSON.stringify([...into.tags].sort()) ? { tags: { from: into.tags, to: tags } } : {}),
      };
      // After the move, so each ticket's own timeline ends with its side of the merge.
      await this.tickets.recordHistory(tx, sourceId, 'ticket.merged', { ...sourceDelta, target: { to: { id: targetId, number: into.number } } });
      await this.tickets.recordHistory(tx, targetId, 'ticket.merged_from', { ...targetDelta, source: { to: { id: sourceId, number: source.number, moved } } });
      await tx.audit({ action: 'ticket.merged', entityType: 'ticket', entityId: sourceId, before: { status: source.status, mergedIntoId: null }, after: { status: 'closed', mergedIntoId: targetId, moved: { ...moved } } });
      await tx.audit({ action: 'ticket.merge_received', entityType: 'ticket', entityId: targetId, before: { mergedFrom: into.mergedFrom, tags: into.tags }, after: { mergedFrom: targetAfter.mergedFrom, tags } });
      await tx.emit(
        TicketMerged.of(sourceId, { targetId, targetNumber: into.number, moved, version: sourceAfter.version, targetVersion: targetAfter.version }),
        TicketUpdated.of(sourceId, { delta: sourceDelta, version: sourceAfter.version }),
        TicketUpdated.of(targetId, { delta: targetDelta, version: targetAfter.version }),
      );
      if (source.status !== 'closed') await tx.emit(TicketStatusChanged.of(sourceId, { from: source.status, to: 'closed', version: sourceAfter.version }));
      return { source: sourceAfter, target: targetAfter, moved };
    });
  }
}
