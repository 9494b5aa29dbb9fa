import { Module } from '@nestjs/common';
import { CompleteHandler, StreamCompletionHandler } from './commands/complete/complete.handler';
import { DeleteAiProviderHandler } from './commands/delete-provider/delete-provider.handler';
import { ExtractHandler } from './commands/extract/extract.handler';
import { SaveAiProviderHandler } from './commands/save-provider/save-provider.handler';
import { ResetTemplateHandler, SaveTemplateHandler } from './commands/save-template/save-template.handler';
import { UpdateAiSettingsHandler } from './commands/update-settings/update-settings.handler';
import { AiFeatureRegistryModule } from './features/ai-features.module';
import { AiGateway } from './gateway/ai-gateway.service';
import { AiMetrics } from './gateway/ai-metrics';
import { TenantAiState } from './gateway/tenant-ai-state';
import { UsageRecorder } from './gateway/usage-recorder';
import { GetAiSettingsHandler } from './queries/get-settings/get-settings.handler';
import { GetAiUsageHandler } from './queries/get-usage/get-usage.handler';
import { ListTemplatesHandler, ListTemplateVersionsHandler } from './queries/list-templates/list-templates.handler';
import { GetTemplateHandler } from './queries/get-template/get-template.handler';
import { PreviewTemplateHandler } from './queries/preview-template/preview-template.handler';
import { AiSettingsRepository } from './repositories/ai-settings.repository';
import { AiUsageRepository } from './repositories/ai-usage.repository';
import { PromptTemplatesRepository } from './repositories/prompt-templates.repository';
import { PromptTemplates } from './templates/prompt-templates.service';

/**
 * Chat, extraction, settings and metering: shared by the api and the contexts whose handlers call
 * a model. The features those handlers use are registered beside them (`AiFeaturesModule.register`).
 */
@Module({
  imports: [AiFeatureRegistryModule],
  providers: [AiGateway, AiMetrics, TenantAiState, UsageRecorder, AiSettingsRepository, AiUsageRepository, PromptTemplatesRepository, UpdateAiSettingsHandler, SaveAiProviderHandler, DeleteAiProviderHandler, CompleteHandler, StreamCompletionHandler, ExtractHandler, GetAiSettingsHandler, GetAiUsageHandler,
    PromptTemplates, SaveTemplateHandler, ResetTemplateHandler, ListTemplatesHandler, GetTemplateHandler, ListTemplateVersionsHandler, PreviewTemplateHandler],
  exports: [AiGateway, PromptTemplates, AiFeatureRegistryModule],
})
export class AiChatModule {}
