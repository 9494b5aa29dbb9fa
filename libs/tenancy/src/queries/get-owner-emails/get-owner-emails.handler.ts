import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { MembersRepository } from '../../repositories/members.repository';
import { GetOwnerEmailsQuery } from './get-owner-emails.query';

@QueryHandler(GetOwnerEmailsQuery)
export class GetOwnerEmailsHandler implements IQueryHandler<GetOwnerEmailsQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly members: MembersRepository,
  ) {}

  execute({ tenantId, roles }: GetOwnerEmailsQuery): Promise<string[]> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => (await this.members.list(tx)).filter((m) => (roles as readonly string[]).includes(m.role)).map((m) => m.email));
  }
}
