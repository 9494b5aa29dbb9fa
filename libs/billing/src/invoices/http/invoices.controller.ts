import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Res, StreamableFile } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { type CommandContext, Ctx, type Page, ParseUuidPipe, RequirePermission } from '@switchboard/platform';
import type { Response } from 'express';
import { CreateCreditNoteCommand } from '../commands/create-credit-note/create-credit-note.command';
import { CreateInvoiceCommand } from '../commands/create-invoice/create-invoice.command';
import { FinaliseInvoiceCommand } from '../commands/finalise-invoice/finalise-invoice.command';
import { MarkPaidCommand } from '../commands/mark-paid/mark-paid.command';
import { SaveInvoiceSettingsCommand } from '../commands/save-invoice-settings/save-invoice-settings.command';
import { SendInvoiceCommand } from '../commands/send-invoice/send-invoice.command';
import { UpdateDraftCommand } from '../commands/update-draft/update-draft.command';
import { VoidInvoiceCommand } from '../commands/void-invoice/void-invoice.command';
import { GetInvoiceQuery } from '../queries/get-invoice/get-invoice.query';
import { GetInvoiceSettingsQuery } from '../queries/get-invoice-settings/get-invoice-settings.query';
import { ListInvoicesQuery } from '../queries/list-invoices/list-invoices.query';
import { RenderInvoicePdfQuery } from '../queries/render-invoice-pdf/render-invoice-pdf.query';
import type { InvoiceSettings, InvoiceView } from '../repositories/invoices.sql';
import {
  CreateCreditNoteDto,
  CreateInvoiceDto,
  InvoiceListQueryDto,
  InvoicePageResponse,
  InvoiceResponse,
  InvoiceSettingsDto,
  InvoiceSettingsResponse,
  MarkPaidDto,
  SendInvoiceDto,
  UpdateDraftDto,
  VoidInvoiceDto,
} from './invoices.dto';

const STATUS = 'Not allowed in the document’s status (a finalised document is never edited): 409 problem+json with currentStatus';

/** Customer invoices and credit notes (ADR 0061). */
@ApiTags('Invoices')
@Controller('invoices')
export class InvoicesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @RequirePermission('invoices:read')
  @ApiOperation({ summary: 'Invoices and credit notes, newest first', description: 'Filter by status, kind, contact or job.' })
  @ApiOkResponse({ type: InvoicePageResponse })
  list(@Ctx() ctx: CommandContext, @Query() query: InvoiceListQueryDto): Promise<Page<InvoiceView>> {
    return this.queries.execute(new ListInvoicesQuery(ctx.tenantId, { limit: query.limit, cursor: query.cursor, status: query.status, kind: query.kind, contactId: query.contactId, jobId: query.jobId }));
  }

  @Post()
  @RequirePermission('invoices:write')
  @ApiOperation({ summary: 'Create a draft invoice for a contact', description: 'Completed field-service jobs get their drafts by themselves. Amounts are computed by the server, per line, rounded half-up.' })
  @ApiCreatedResponse({ type: InvoiceResponse })
  async create(@Ctx() ctx: CommandContext, @Body() body: CreateInvoiceDto, @Res({ passthrough: true }) res: Response): Promise<InvoiceView> {
    const invoice = await this.commands.execute(new CreateInvoiceCommand(ctx, body));
    res.setHeader('Location', `/v1/invoices/${invoice.id}`);
    return invoice;
  }

  @Get(':id')
  @RequirePermission('invoices:read')
  @ApiOperation({ summary: 'An invoice or credit note with its lines' })
  @ApiOkResponse({ type: InvoiceResponse })
  get(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string): Promise<InvoiceView> {
    return this.queries.execute(new GetInvoiceQuery(ctx.tenantId, id));
  }

  @Put(':id/lines')
  @RequirePermission('invoices:write')
  @ApiOperation({ summary: 'Replace a draft’s lines (and memo, payment terms)', description: 'Drafts only. `version` must be the one read: a change in between is a 409 version-conflict.' })
  @ApiOkResponse({ type: InvoiceResponse })
  @ApiConflictResponse({ description: STATUS })
  updateLines(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string, @Body() body: UpdateDraftDto): Promise<InvoiceView> {
    return this.commands.execute(new UpdateDraftCommand(ctx, id, body));
  }

  @Post(':id/finalise')
  @HttpCode(200)
  @RequirePermission('invoices:write')
  @ApiOperation({ summary: 'Finalise a draft: it gets its number and can no longer change', description: 'Numbers run per tenant and year (INV-2026-000001, CN-… for credit notes) without gaps, also under concurrent finalisations.' })
  @ApiOkResponse({ type: InvoiceResponse })
  @ApiConflictResponse({ description: STATUS })
  finalise(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string): Promise<InvoiceView> {
    return this.commands.execute(new FinaliseInvoiceCommand(ctx, id));
  }

  @Post(':id/send')
  @HttpCode(200)
  @RequirePermission('invoices:write')
  @ApiOperation({
    summary: 'Email the document with its PDF and a payment link',
    description: 'Finalised documents only (a draft: 409). The payment link is a Stripe Payment Link on the tenant’s connected account, created once. Sending again re-sends.',
  })
  @ApiOkResponse({ type: InvoiceResponse })
  @ApiConflictResponse({ description: STATUS })
  send(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string, @Body() body: SendInvoiceDto): Promise<InvoiceView> {
    return this.commands.execute(new SendInvoiceCommand(ctx, id, body?.to));
  }

  @Post(':id/mark-paid')
  @HttpCode(200)
  @RequirePermission('invoices:write')
  @ApiOperation({ summary: 'Record a payment received outside Stripe', description: 'Open or sent invoices; a paid one: 409.' })
  @ApiOkResponse({ type: InvoiceResponse })
  @ApiConflictResponse({ description: STATUS })
  markPaid(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string, @Body() body: MarkPaidDto): Promise<InvoiceView> {
    return this.commands.execute(new MarkPaidCommand(ctx, id, body.method, body.reference ?? null));
  }

  @Post(':id/void')
  @HttpCode(200)
  @RequirePermission('invoices:write')
  @ApiOperation({ summary: 'Void a document that is not paid', description: 'A numbered one keeps its number. Its payment link stops taking payments.' })
  @ApiOkResponse({ type: InvoiceResponse })
  @ApiConflictResponse({ description: STATUS })
  void(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string, @Body() body: VoidInvoiceDto): Promise<InvoiceView> {
    return this.commands.execute(new VoidInvoiceCommand(ctx, id, body?.reason ?? null));
  }

  @Post(':id/credit-notes')
  @RequirePermission('invoices:write')
  @ApiOperation({ summary: 'Draft a credit note against a finalised invoice', description: 'Without lines, it credits the whole invoice. Finalising it checks it is no larger than what the invoice still asks for (422).' })
  @ApiCreatedResponse({ type: InvoiceResponse })
  @ApiConflictResponse({ description: STATUS })
  async creditNote(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string, @Body() body: CreateCreditNoteDto, @Res({ passthrough: true }) res: Response): Promise<InvoiceView> {
    const note = await this.commands.execute(new CreateCreditNoteCommand(ctx, id, body));
    res.setHeader('Location', `/v1/invoices/${note.id}`);
    return note;
  }

  @Get(':id/pdf')
  @RequirePermission('invoices:read')
  @ApiOperation({ summary: 'The document as a PDF' })
  @ApiProduces('application/pdf')
  @ApiOkResponse({ description: 'application/pdf', schema: { type: 'string', format: 'binary' } })
  async pdf(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string): Promise<StreamableFile> {
    const { filename, pdf } = await this.queries.execute(new RenderInvoicePdfQuery(ctx.tenantId, id));
    return new StreamableFile(pdf, { type: 'application/pdf', disposition: `inline; filename="${filename}"`, length: pdf.length });
  }
}

const settingsView = (s: InvoiceSettings): SettingsBody => ({ ...s, logo: s.logo ? `${s.logo.type}, ${s.logo.data.length} bytes` : null });

/** The tenant's invoicing settings: connected Stripe account, address, logo, terms (owners and admins). */
@ApiTags('Invoices')
@Controller('billing/invoice-settings')
@RequirePermission('billing:manage')
export class InvoiceSettingsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The tenant’s invoicing settings' })
  @ApiOkResponse({ type: InvoiceSettingsResponse })
  async get(@Ctx() ctx: CommandContext): Promise<SettingsBody> {
    return settingsView(await this.queries.execute(new GetInvoiceSettingsQuery(ctx.tenantId)));
  }

  @Put()
  @ApiOperation({ summary: 'Replace the tenant’s invoicing settings', description: 'The logo is checked to be a PNG or JPEG by its bytes.' })
  @ApiOkResponse({ type: InvoiceSettingsResponse })
  async put(@Ctx() ctx: CommandContext, @Body() body: InvoiceSettingsDto): Promise<SettingsBody> {
    return settingsView(await this.commands.execute(new SaveInvoiceSettingsCommand(ctx, body)));
  }
}

type SettingsBody = Omit<InvoiceSettings, 'logo'> & { logo: string | null };
