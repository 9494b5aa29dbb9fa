import { Query } from '@nestjs/cqrs';
import type { TimerView } from '../../repositories/time.sql';

export class GetTimerQuery extends Query<{ timer: TimerView | null }> {
  constructor(
    readonly tenantId: string,
    readonly userId: string,
  ) {
    super();
  }
}
