import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { MembersRepository } from '../../repositories/members.repository';
import { MemberNamesQuery } from './member-names.query';

@QueryHandler(MemberNamesQuery)
export class MemberNamesHandler implements IQueryHandler<MemberNamesQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly members: MembersRepository,
  ) {}

  execute({ tenantId }: MemberNamesQuery): Promise<Record<string, string>> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => Object.fromEntries((await this.members.list(tx)).map((m) => [m.userId, m.name])));
  }
}
