import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Ctx, etagOf, PageQueryDto, parseIfMatch, ProblemException, RequirePermission, type CommandContext, type Page } from '@switchboard/platform';
import { ResetTemplateCommand, SaveTemplateCommand } from '../commands/save-template/save-template.command';
import { GetTemplateQuery } from '../queries/get-template/get-template.query';
import { ListTemplatesQuery, ListTemplateVersionsQuery, type EffectiveTemplateView } from '../queries/list-templates/list-templates.query';
import { PreviewTemplateQuery, type TemplatePreview } from '../queries/preview-template/preview-template.query';
import type { TemplatedAiFeature } from '../features/ai-feature';
import { AiFeatureRegistry } from '../features/ai-feature-registry';
import type { TemplateVersion } from '../templates/template-versions';
import { EffectiveTemplateResponse, PreviewTemplateDto, SaveTemplateDto, TEMPLATE_FEATURE_DESCRIPTION, TemplateListResponse, TemplatePreviewResponse, TemplateResponse, TemplateVersionsResponse } from './dto';
import { rawResponse } from './sse';

/** Body `version` or If-Match: either says which version the caller read; both must agree. */
function expectedVersion(body: number | undefined, ifMatch: string | undefined): number | undefined {
  const header = parseIfMatch(ifMatch);
  if (header !== null && body !== undefined && header !== body) {
    throw new ProblemException({ status: 400, type: 'validation-failed', title: 'Bad Request', detail: `If-Match names version ${header} but the body says ${body}.`, errors: [{ field: 'version', message: 'disagrees with If-Match' }] });
  }
  return header ?? body;
}

const withEtag = (res: unknown, version: TemplateVersion): TemplateVersion => {
  rawResponse(res).setHeader('ETag', etagOf(version.version));
  return version;
};

const FEATURE_PARAM = { name: 'feature', description: TEMPLATE_FEATURE_DESCRIPTION, example: 'summary' };
const IF_MATCH = { name: 'If-Match', required: false, description: 'The ETag of the version you read, e.g. W/"1"; a stale one is a 409' };

@ApiTags('AI')
@Controller('ai/templates')
export class AiTemplatesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly features: AiFeatureRegistry,
  ) {}

  /** The path's feature: a registered one with a template, else 404 naming those there are. */
  private feature(name: string): TemplatedAiFeature {
    const feature = this.features.findTemplated(name);
    if (!feature) {
      const known = this.features.templated.map((f) => f.name).join(', ');
      throw new ProblemException({ status: 404, type: 'not-found', title: 'Not Found', detail: `There is no prompt template for "${name.slice(0, 40)}"; features with templates: ${known}.` });
    }
    return feature;
  }

  @Get()
  @RequirePermission('ai:use')
  @ApiOperation({ summary: 'The effective prompt template of every feature, with its version and whether it is the default or your own' })
  @ApiOkResponse({ type: TemplateListResponse })
  async list(@Ctx() ctx: CommandContext): Promise<{ data: EffectiveTemplateView[] }> {
    return { data: await this.queries.execute(new ListTemplatesQuery(ctx.tenantId)) };
  }

  @Get(':feature')
  @RequirePermission('ai:use')
  @ApiOperation({ summary: "A feature's effective prompt template", description: 'Its ETag names the version; send it as If-Match when saving or resetting, and a change made meanwhile answers 409.' })
  @ApiParam(FEATURE_PARAM)
  @ApiOkResponse({ type: EffectiveTemplateResponse })
  async get(@Ctx() ctx: CommandContext, @Param('feature') name: string, @Res({ passthrough: true }) res: unknown): Promise<EffectiveTemplateView> {
    const template: EffectiveTemplateView = await this.queries.execute(new GetTemplateQuery(ctx.tenantId, this.feature(name)));
    withEtag(res, template);
    return template;
  }

  @Get(':feature/versions')
  @RequirePermission('ai:use')
  @ApiOperation({ summary: "A feature's template versions, newest first; version 1 is the shipped default" })
  @ApiParam(FEATURE_PARAM)
  @ApiOkResponse({ type: TemplateVersionsResponse })
  versions(@Ctx() ctx: CommandContext, @Param('feature') name: string, @Query() page: PageQueryDto): Promise<Page<TemplateVersion>> {
    return this.queries.execute(new ListTemplateVersionsQuery(ctx.tenantId, this.feature(name), page.limit, page.cursor));
  }

  @Put(':feature')
  @RequirePermission('ai:admin')
  @ApiOperation({
    summary: 'Save your own template for a feature as a new version',
    description: 'Versions are never rewritten: each save appends one. A template that is malformed, uses a variable the feature does not provide or is too long is a 422 naming the problem.',
  })
  @ApiParam(FEATURE_PARAM)
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: TemplateResponse })
  async save(@Ctx() ctx: CommandContext, @Param('feature') name: string, @Body() body: SaveTemplateDto, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) res: unknown): Promise<TemplateVersion> {
    const messages = body.messages.map((m) => ({ role: m.role, content: m.content }));
    return withEtag(res, await this.commands.execute(new SaveTemplateCommand(ctx, this.feature(name), messages, expectedVersion(body.version, ifMatch))));
  }

  @Delete(':feature')
  @RequirePermission('ai:admin')
  @ApiOperation({ summary: 'Go back to the shipped default template', description: 'Recorded as a new version whose source is default; nothing is recorded when the default is already in effect.' })
  @ApiParam(FEATURE_PARAM)
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: TemplateResponse })
  async reset(@Ctx() ctx: CommandContext, @Param('feature') name: string, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) res: unknown): Promise<TemplateVersion> {
    return withEtag(res, await this.commands.execute(new ResetTemplateCommand(ctx, this.feature(name), expectedVersion(undefined, ifMatch))));
  }

  @Post(':feature/preview')
  @HttpCode(200)
  @RequirePermission('ai:use')
  @ApiOperation({ summary: 'Render the effective template, or a draft, with your variables', description: 'No model is called and no usage is recorded. Returns the messages as they would be sent (before redaction) and their token count.' })
  @ApiParam(FEATURE_PARAM)
  @ApiOkResponse({ type: TemplatePreviewResponse })
  preview(@Ctx() ctx: CommandContext, @Param('feature') name: string, @Body() body: PreviewTemplateDto): Promise<TemplatePreview> {
    const draft = body.template?.messages.map((m) => ({ role: m.role, content: m.content }));
    return this.queries.execute(new PreviewTemplateQuery(ctx, this.feature(name), body.variables, draft));
  }
}
