import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { tableOf } from '../../commands/manage-rule/manage-rule.handler';
import { RulesRepository } from '../../repositories/rules.repository';
import type { RuleView } from '../../repositories/rules.sql';
import { ListRulesQuery } from './list-rules.query';

@QueryHandler(ListRulesQuery)
export class ListRulesHandler implements IQueryHandler<ListRulesQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly rules: RulesRepository,
  ) {}

  execute({ tenantId, kind, id }: ListRulesQuery): Promise<RuleView[]> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      if (!id) return this.rules.list(tx, tableOf(kind));
      const rule = await this.rules.find(tx, tableOf(kind), id);
      if (!rule) throw notFound(kind === 'trigger' ? 'Trigger' : 'Automation', id);
      return [rule];
    });
  }
}
