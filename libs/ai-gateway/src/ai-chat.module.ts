import { Module } from '@nestjs/common';
import { CompleteHandler, StreamCompletionHandler } from './commands/complete/complete.handler';
import { DeleteAiProviderHandler } from './commands/delete-provider/delete-provider.handler';
import { ExtractHandler } from './commands/extract/extract.handler';
import { SaveAiProviderHandler } from './commands/save-provider/save-provider.handler';
import { UpdateAiSettingsHandler } from './commands/update-settings/update-settings.handler';
import { AiGateway } from './gateway/ai-gateway.service';
import { TenantAiState } from './gateway/tenant-ai-state';
import { GetAiSettingsHandler } from './queries/get-settings/get-settings.handler';
import { GetAiUsageHandler } from './queries/get-usage/get-usage.handler';

/** Chat, extraction, settings and metering: shared by the api and (for assists later) the worker. */
@Module({
  providers: [AiGateway, TenantAiState, UpdateAiSettingsHandler, SaveAiProviderHandler, DeleteAiProviderHandler, CompleteHandler, StreamCompletionHandler, ExtractHandler, GetAiSettingsHandler, GetAiUsageHandler],
  exports: [AiGateway],
})
export class AiChatModule {}
