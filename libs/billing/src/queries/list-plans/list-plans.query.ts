import { Query } from '@nestjs/cqrs';
import type { Plan } from '../../domain/plans';

/** The plans on sale, cheapest first. */
export class ListPlansQuery extends Query<Plan[]> {
  constructor(readonly tenantId: string) {
    super();
  }
}
