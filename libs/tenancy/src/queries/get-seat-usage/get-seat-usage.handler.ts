import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { InvitationsRepository } from '../../repositories/invitations.repository';
import { GetSeatUsageQuery } from './get-seat-usage.query';

@QueryHandler(GetSeatUsageQuery)
export class GetSeatUsageHandler implements IQueryHandler<GetSeatUsageQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly invitations: InvitationsRepository,
  ) {}

  execute({ tenantId }: GetSeatUsageQuery): Promise<number> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, (tx) => this.invitations.countSeats(tx));
  }
}
