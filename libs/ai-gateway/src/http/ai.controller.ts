import { Body, Controller, Delete, Get, HttpCode, Param, Put, Post, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Ctx, ProblemException, reportRange, RequirePermission, type CommandContext } from '@switchboard/platform';
import { CompleteCommand, StreamCompletionCommand } from '../commands/complete/complete.command';
import { ExtractCommand, type ExtractionResult } from '../commands/extract/extract.command';
import { DeleteAiProviderCommand, SaveAiProviderCommand } from '../commands/save-provider/save-provider.command';
import { UpdateAiSettingsCommand } from '../commands/update-settings/update-settings.command';
import { GetAiSettingsQuery, type AiSettingsView } from '../queries/get-settings/get-settings.query';
import { GetAiUsageQuery, type UsageSummary } from '../queries/get-usage/get-usage.query';
import type { ProviderView } from '../settings/ai-settings';
import { AiSettingsResponse, CompletionDto, CompletionResponse, ExtractDto, ExtractionResponse, ProviderResponse, SaveProviderDto, UpdateAiSettingsDto, UsageQueryDto, UsageResponse } from './dto';
import { abortOnClose, rawResponse, writeSse } from './sse';

const PROVIDER_NAME = /^[a-z0-9][a-z0-9_-]{0,39}$/;
const WARNING_HEADER = 'AI-Budget-Warning';

function providerName(name: string): string {
  if (!PROVIDER_NAME.test(name)) {
    throw new ProblemException({ status: 400, type: 'validation-failed', title: 'Bad Request', detail: 'A provider name is 1–40 lowercase letters, digits, _ or -, starting with a letter or digit.', errors: [{ field: 'name', message: 'invalid provider name' }] });
  }
  return name;
}

/** Header values must be ASCII; warnings are. */
const setWarning = (res: unknown, warning: string | null) => {
  if (warning) rawResponse(res).setHeader(WARNING_HEADER, warning);
};

@ApiTags('AI')
@Controller('ai')
export class AiController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get('settings')
  @RequirePermission('ai:admin')
  @ApiOperation({ summary: "The tenant's AI routing, budget and provider connections (secrets shown only as hints)" })
  @ApiOkResponse({ type: AiSettingsResponse })
  settings(@Ctx() ctx: CommandContext): Promise<AiSettingsView> {
    return this.queries.execute(new GetAiSettingsQuery(ctx.tenantId));
  }

  @Put('settings')
  @RequirePermission('ai:admin')
  @ApiOperation({ summary: 'Change routing, allowed models, fallback chain and budget; applies to the next call', description: 'Fields left out keep their value. Send the version you read; a stale one is a 409.' })
  @ApiOkResponse({ type: AiSettingsResponse })
  async updateSettings(@Ctx() ctx: CommandContext, @Body() body: UpdateAiSettingsDto): Promise<AiSettingsView> {
    const { features, ...rest } = body;
    await this.commands.execute(new UpdateAiSettingsCommand(ctx, { ...rest, features: features && Object.fromEntries(features) } as never));
    return this.queries.execute(new GetAiSettingsQuery(ctx.tenantId));
  }

  @Put('providers/:name')
  @RequirePermission('ai:admin')
  @ApiOperation({ summary: 'Create or replace a provider connection (API key stored encrypted, never returned)' })
  @ApiParam({ name: 'name', example: 'openai', description: 'Your name for this connection; "local" is reserved' })
  @ApiOkResponse({ type: ProviderResponse })
  async saveProvider(@Ctx() ctx: CommandContext, @Param('name') name: string, @Body() body: SaveProviderDto, @Res({ passthrough: true }) res: unknown): Promise<ProviderView> {
    const { provider, created } = await this.commands.execute(new SaveAiProviderCommand(ctx, providerName(name), body));
    if (created) rawResponse(res).statusCode = 201;
    return provider;
  }

  @Delete('providers/:name')
  @HttpCode(204)
  @RequirePermission('ai:admin')
  @ApiOperation({ summary: 'Remove a provider connection and its key (refused while routing uses it)' })
  @ApiNoContentResponse()
  async deleteProvider(@Ctx() ctx: CommandContext, @Param('name') name: string): Promise<void> {
    await this.commands.execute(new DeleteAiProviderCommand(ctx, providerName(name)));
  }

  @Get('usage')
  @RequirePermission('ai:use')
  @ApiOperation({ summary: 'AI usage by UTC day, feature, provider and model', description: 'Default range: this calendar month so far. At most 366 days.' })
  @ApiOkResponse({ type: UsageResponse })
  usage(@Ctx() ctx: CommandContext, @Query() query: UsageQueryDto): Promise<UsageSummary> {
    const { from, to } = reportRange(query);
    return this.queries.execute(new GetAiUsageQuery(ctx.tenantId, from, to));
  }

  @Post('completions')
  @HttpCode(200)
  @RequirePermission('ai:use')
  @ApiOperation({
    summary: 'Chat completion through the tenant’s routed provider',
    description: 'With `stream: true` the answer is text/event-stream: `start`, then `delta` events ({text}), then `done` ({usage, finishReason, model}) or `error`. Closing the connection aborts the upstream call; usage records what was consumed.',
  })
  @ApiProduces('application/json', 'text/event-stream')
  @ApiOkResponse({ type: CompletionResponse })
  async complete(@Ctx() ctx: CommandContext, @Body() body: CompletionDto, @Res({ passthrough: true }) res: unknown): Promise<CompletionResponse | undefined> {
    const { stream, ...input } = body;
    const client = abortOnClose(res);
    if (stream) {
      const opened = await this.commands.execute(new StreamCompletionCommand(ctx, input, client.signal));
      await writeSse(res, opened.warning ? { [WARNING_HEADER]: opened.warning } : {}, opened.events, { provider: opened.provider, model: opened.model, budgetWarning: opened.warning });
      return undefined;
    }
    const result = await this.commands.execute(new CompleteCommand(ctx, input, client.signal));
    setWarning(res, result.warning);
    return { text: result.text, provider: result.provider, model: result.model, usage: result.usage, finishReason: result.finishReason, extractive: result.extractive === true, budgetWarning: result.warning };
  }

  @Post('extract')
  @HttpCode(200)
  @RequirePermission('ai:use')
  @ApiOperation({ summary: 'Extract fields from text into your JSON schema', description: 'Validated with ajv; an invalid answer is retried once, then reported as 422 naming the fields. Confidence per field reflects whether the text states the value.' })
  @ApiCreatedResponse({ type: ExtractionResponse })
  async extract(@Ctx() ctx: CommandContext, @Body() body: ExtractDto, @Res({ passthrough: true }) res: unknown): Promise<Omit<ExtractionResult, 'warning'> & { budgetWarning: string | null }> {
    const { warning, ...result } = await this.commands.execute(new ExtractCommand(ctx, body.schema, body.text, body.model));
    setWarning(res, warning);
    return { ...result, budgetWarning: warning };
  }
}
