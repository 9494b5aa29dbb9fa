import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { type CommandContext, Ctx, Public, RequirePermission } from '@switchboard/platform';
import { DeleteMessageTemplateCommand } from '../commands/delete-message-template/delete-message-template.command';
import { SaveMessageTemplateCommand } from '../commands/save-message-template/save-message-template.command';
import { GetUiStringsQuery, type UiStrings } from '../queries/get-ui-strings/get-ui-strings.query';
import { ListMessageTemplatesQuery, type MessageTemplateCatalog } from '../queries/list-message-templates/list-message-templates.query';
import { PreviewMessageTemplateQuery, type TemplatePreview } from '../queries/preview-message-template/preview-message-template.query';
import type { MessageTemplateView } from '../repositories/message-templates.repository';
import { MessageTemplateCatalogResponse, MessageTemplateResponse, PreviewMessageTemplateDto, SaveMessageTemplateDto, TemplatePreviewResponse, UiStringsResponse } from './contact-form.dto';

/** Message templates per key and locale (the fallback chain pt-BR → pt → tenant default → shipped), and the public UI strings. */
@ApiTags('Message templates')
@Controller()
export class MessageTemplatesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get('message-templates')
  @RequirePermission('tickets:read')
  @ApiOperation({ summary: 'Template keys with their placeholders, UI string keys, and the tenant’s own templates' })
  @ApiOkResponse({ type: MessageTemplateCatalogResponse })
  list(@Ctx() ctx: CommandContext): Promise<MessageTemplateCatalog> {
    return this.queries.execute(new ListMessageTemplatesQuery(ctx.tenantId));
  }

  @Put('message-templates/:key/:locale')
  @RequirePermission('tenant:manage')
  @ApiOperation({ summary: 'Create or replace a template (or a UI string) for a key and locale', description: 'Placeholders are checked against the key’s: an unknown {{name}} or a stray brace is a 400.' })
  @ApiOkResponse({ type: MessageTemplateResponse })
  save(@Ctx() ctx: CommandContext, @Param('key') key: string, @Param('locale') locale: string, @Body() body: SaveMessageTemplateDto): Promise<MessageTemplateView> {
    return this.commands.execute(new SaveMessageTemplateCommand(ctx, key.slice(0, 100), locale.slice(0, 40), body.subject ?? null, body.body));
  }

  @Delete('message-templates/:key/:locale')
  @RequirePermission('tenant:manage')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a template; the fallback chain takes over' })
  @ApiNoContentResponse()
  async remove(@Ctx() ctx: CommandContext, @Param('key') key: string, @Param('locale') locale: string): Promise<void> {
    await this.commands.execute(new DeleteMessageTemplateCommand(ctx, key.slice(0, 100), locale.slice(0, 40)));
  }

  @Post('message-templates/:key/preview')
  @RequirePermission('tickets:read')
  @HttpCode(200)
  @ApiOperation({ summary: 'Render a template with sample or given data', description: 'Renders the draft when body is given, else the template the fallback chain finds for the locale.' })
  @ApiOkResponse({ type: TemplatePreviewResponse })
  preview(@Ctx() ctx: CommandContext, @Param('key') key: string, @Body() body: PreviewMessageTemplateDto): Promise<TemplatePreview> {
    return this.queries.execute(new PreviewMessageTemplateQuery(ctx.tenantId, key.slice(0, 100), body.locale ?? null, body.data ?? {}, body.body !== undefined ? { subject: body.subject ?? null, body: body.body } : null));
  }

  @Get('i18n/:tenantSlug')
  @Public()
  @ApiOperation({ summary: 'UI strings for the help center and the widget (public)', description: 'The tenant’s strings along the chain (locale → its language → the tenant’s default), shipped strings for the rest.' })
  @ApiQuery({ name: 'locale', required: false, example: 'pt-BR' })
  @ApiOkResponse({ type: UiStringsResponse })
  strings(@Param('tenantSlug') slug: string, @Query('locale') locale: unknown): Promise<UiStrings> {
    return this.queries.execute(new GetUiStringsQuery(slug.slice(0, 100), typeof locale === 'string' ? locale.slice(0, 40) : null));
  }
}
