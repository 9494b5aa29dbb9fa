import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { AiSettingsRepository } from '../../repositories/ai-settings.repository';
import { providerView } from '../../settings/ai-settings';
import { GetAiSettingsQuery, type AiSettingsView } from './get-settings.query';

@QueryHandler(GetAiSettingsQuery)
export class GetAiSettingsHandler implements IQueryHandler<GetAiSettingsQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly settings: AiSettingsRepository,
  ) {}

  execute({ tenantId }: GetAiSettingsQuery): Promise<AiSettingsView> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      const used = await this.settings.monthToDate(tx);
      return {
        ...(await this.settings.settings(tx)),
        providers: (await this.settings.providers(tx)).map(providerView),
        monthToDate: { tokens: used.tokens, costMicroUsd: used.costMicros },
      };
    });
  }
}
