import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { loadProviders, loadSettings, monthToDate, providerView } from '../../settings/ai-settings';
import { GetAiSettingsQuery, type AiSettingsView } from './get-settings.query';

@QueryHandler(GetAiSettingsQuery)
export class GetAiSettingsHandler implements IQueryHandler<GetAiSettingsQuery> {
  constructor(private readonly tx: TenantTransaction) {}

  execute({ tenantId }: GetAiSettingsQuery): Promise<AiSettingsView> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      const used = await monthToDate(tx.manager, tenantId);
      return {
        ...(await loadSettings(tx.manager, tenantId)),
        providers: (await loadProviders(tx.manager, tenantId)).map(providerView),
        monthToDate: { tokens: used.tokens, costMicroUsd: used.costMicros },
      };
    });
  }
}
