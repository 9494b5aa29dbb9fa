import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { TwoFactorRepository } from '../../repositories/two-factor.repository';
import { GetTwoFactorStatusQuery, toCredentialView, type TwoFactorStatusView } from './get-two-factor-status.query';

@QueryHandler(GetTwoFactorStatusQuery)
export class GetTwoFactorStatusHandler implements IQueryHandler<GetTwoFactorStatusQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly factors: TwoFactorRepository,
  ) {}

  execute({ tenantId, userId }: GetTwoFactorStatusQuery): Promise<TwoFactorStatusView> {
    return this.tx.run({ tenantId, actorId: userId, correlationId: null }, async (tx) => {
      const summary = await this.factors.summary(tx.manager, userId);
      const credentials = await this.factors.credentials(tx.manager, userId);
      return {
        enabled: summary.totp || credentials.length > 0,
        totp: summary.totp,
        webauthn: credentials.map(toCredentialView),
        recoveryCodesLeft: summary.recoveryCodesLeft,
        requiredByTenant: await this.factors.tenantRequires(tx.manager, tenantId),
      };
    });
  }
}
