import { Query } from '@nestjs/cqrs';
import type { AiSettings, ProviderView } from '../../settings/ai-settings';

export interface AiSettingsView extends AiSettings {
  providers: ProviderView[];
  monthToDate: { tokens: number; costMicroUsd: number };
}

export class GetAiSettingsQuery extends Query<AiSettingsView> {
  constructor(readonly tenantId: string) {
    super();
  }
}
