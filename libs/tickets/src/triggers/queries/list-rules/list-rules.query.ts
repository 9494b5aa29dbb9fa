import { Query } from '@nestjs/cqrs';
import type { RuleKind } from '../../domain/rules';
import type { RuleView } from '../../repositories/rules.sql';

/** The tenant's triggers (or automations) in the order they run (`id`: just that one, a 404 when it is not live). */
export class ListRulesQuery extends Query<RuleView[]> {
  constructor(
    readonly tenantId: string,
    readonly kind: RuleKind,
    readonly id?: string,
  ) {
    super();
  }
}
