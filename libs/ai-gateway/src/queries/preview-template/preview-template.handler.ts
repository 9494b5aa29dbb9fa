import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { countMessageTokens } from '../../chat/tokens';
import type { TemplatedAiFeature } from '../../features/ai-feature';
import { compileTemplate, renderCompiled } from '../../templates/compiled-template';
import { PromptTemplates } from '../../templates/prompt-templates.service';
import { PreviewTemplateQuery, type TemplatePreview } from './preview-template.query';

@QueryHandler(PreviewTemplateQuery)
export class PreviewTemplateHandler implements IQueryHandler<PreviewTemplateQuery> {
  constructor(private readonly templates: PromptTemplates) {}

  async execute({ context, feature, variables, draft }: PreviewTemplateQuery): Promise<TemplatePreview> {
    if (draft) {
      const messages = renderCompiled(compileTemplate(feature, draft), variables);
      return { messages, promptTokens: countMessageTokens(messages), template: { feature: feature.name, version: null, source: 'draft' } };
    }
    const { messages, template } = await this.templates.render(context, feature as TemplatedAiFeature<Record<string, unknown>>, variables);
    return { messages, promptTokens: countMessageTokens(messages), template };
  }
}
