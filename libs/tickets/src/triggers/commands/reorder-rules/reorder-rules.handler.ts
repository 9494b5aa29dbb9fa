import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ProblemException, TenantTransaction } from '@switchboard/platform';
import { RulesRepository } from '../../repositories/rules.repository';
import type { RuleView } from '../../repositories/rules.sql';
import { RuleChanged } from '../../triggers.registration';
import { tableOf } from '../manage-rule/manage-rule.handler';
import { ReorderRulesCommand } from './reorder-rules.command';

/** Positions 0, 1, 2… in the order sent; the list must name every live rule exactly once (so a stale list is refused, not half applied). */
@CommandHandler(ReorderRulesCommand)
export class ReorderRulesHandler implements ICommandHandler<ReorderRulesCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly rules: RulesRepository,
  ) {}

  execute({ context, kind, ids }: ReorderRulesCommand): Promise<RuleView[]> {
    const table = tableOf(kind);
    const wanted = ids.map((id) => id.toLowerCase());
    return this.tx.run(context, async (tx) => {
      const live = await this.rules.list(tx, table);
      const liveIds = new Set(live.map((r) => r.id));
      const unknown = wanted.filter((id) => !liveIds.has(id));
      const missing = live.filter((r) => !wanted.includes(r.id)).map((r) => r.id);
      if (unknown.length > 0 || missing.length > 0 || new Set(wanted).size !== wanted.length) {
        const detail = `Send every ${kind} id exactly once, in the order wanted${unknown.length ? `; unknown: ${unknown.join(', ')}` : ''}${missing.length ? `; missing: ${missing.join(', ')}` : ''}.`;
        throw new ProblemException({ status: 422, type: 'validation-failed', title: 'Unprocessable Content', detail, errors: [{ field: 'ids', message: detail }] });
      }
      await this.rules.reorder(tx, table, wanted);
      const after = await this.rules.list(tx, table);
      await tx.audit({ action: `ticket_${kind}.reordered`, entityType: `ticket_${kind}`, entityId: null, before: { order: live.map((r) => r.id) }, after: { order: wanted } });
      for (const r of after.filter((a) => live.find((b) => b.id === a.id)!.position !== a.position)) {
        await tx.emit(RuleChanged.of(r.id, { kind, op: 'reordered', name: r.name, version: r.version }));
      }
      return after;
    });
  }
}
