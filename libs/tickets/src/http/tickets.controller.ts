import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Query, Req, Res, StreamableFile } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiBody, ApiConsumes, ApiCreatedResponse, ApiExtraModels, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { type CommandContext, Ctx, etagOf, type Page, PageQueryDto, ParseUuidPipe, ProblemException, requireIfMatch, RequirePermission, TenantFiles, contentDisposition } from '@switchboard/platform';
import type { Request, Response } from 'express';
import { AddAttachmentCommand } from '../commands/add-attachment/add-attachment.command';
import { GetAttachmentQuery, ListAttachmentsQuery } from '../queries/list-attachments/list-attachments.query';
import { AddMessageCommand } from '../commands/add-message/add-message.command';
import { BulkUpdateTicketsCommand } from '../commands/bulk-update-tickets/bulk-update-tickets.command';
import { ChangeParticipantsCommand } from '../commands/change-participants/change-participants.command';
import { CreateTicketCommand } from '../commands/create-ticket/create-ticket.command';
import { DeleteTicketCommand } from '../commands/delete-ticket/delete-ticket.command';
import { GetTicketDeletionQuery } from '../queries/get-ticket-deletion/get-ticket-deletion.query';
import type { DeletionState } from '../repositories/deletion.repository';
import { UpdateTicketCommand } from '../commands/update-ticket/update-ticket.command';
import { ExportTicketsQuery, type ExportPage } from '../queries/export-tickets/export-tickets.query';
import { GetTicketQuery } from '../queries/get-ticket/get-ticket.query';
import { ListHistoryQuery } from '../queries/list-history/list-history.query';
import { ListParticipantsQuery } from '../queries/list-participants/list-participants.query';
import { ListMessagesQuery } from '../queries/list-messages/list-messages.query';
import { ListTicketsQuery } from '../queries/list-tickets/list-tickets.query';
import type { AttachmentView } from '../repositories/attachments.sql';
import type { MessageView } from '../repositories/messages.sql';
import type { ParticipantView } from '../repositories/participants.sql';
import type { HistoryEntry, TicketView } from '../repositories/tickets.sql';
import {
  TicketDeletionResponse,
  AddMessageDto,
  AddParticipantDto,
  ParticipantResponse,
  AttachmentResponse,
  BulkUpdateTicketsDto,
  ExportQueryDto,
  ExportResponse,
  TicketListResponse,
  CreateTicketDto,
  HistoryPageResponse,
  MessagePageResponse,
  MessageResponse,
  TicketListQueryDto,
  TicketPageResponse,
  TicketResponse,
  UpdateTicketDto,
} from './dto';

const withEtag = (res: Response, ticket: TicketView) => {
  res.setHeader('ETag', etagOf(ticket.version));
  return ticket;
};

@ApiTags('Tickets')
@Controller('tickets')
export class TicketsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly files: TenantFiles,
  ) {}

  @Post()
  @RequirePermission('tickets:write')
  @ApiOperation({ summary: 'Create a ticket', description: 'Send exactly one of requesterId (a contact of this tenant) and requester (found or created by email or phone).' })
  @ApiExtraModels(CreateTicketDto)
  @ApiBody({
    schema: { allOf: [{ $ref: getSchemaPath(CreateTicketDto) }], oneOf: [{ required: ['requesterId'] }, { required: ['requester'] }] },
    examples: {
      newRequester: {
        summary: 'A requester found or created by email',
        value: { subject: 'The boiler makes a knocking noise', description: 'It started yesterday evening.', requester: { email: 'pat@customer.example', name: 'Pat Smith' }, priority: 'high', tags: ['heating'] },
      },
      knownContact: { summary: 'A contact already known', value: { subject: 'Invoice 2026-114 is wrong', requesterId: '6f1c1c36-55a4-4f43-9d7c-0d1a1e0b9a11', type: 'problem' } },
    },
  })
  @ApiCreatedResponse({ type: TicketResponse })
  async create(@Ctx() ctx: CommandContext, @Body() body: CreateTicketDto, @Res({ passthrough: true }) res: Response): Promise<TicketView> {
    const ticket = await this.commands.execute(new CreateTicketCommand(ctx, body));
    res.setHeader('Location', `/v1/tickets/${ticket.id}`);
    return withEtag(res, ticket);
  }

  @Post('bulk')
  @HttpCode(200)
  @RequirePermission('tickets:write')
  @ApiOperation({ summary: 'Apply the same changes to up to 100 tickets, all or nothing', description: 'If any ticket is missing or refuses the change, nothing changes and errors[] names each one.' })
  @ApiOkResponse({ type: TicketListResponse })
  async bulkUpdate(@Ctx() ctx: CommandContext, @Body() body: BulkUpdateTicketsDto): Promise<{ data: TicketView[] }> {
    return { data: await this.commands.execute(new BulkUpdateTicketsCommand(ctx, body.ids, body.changes)) };
  }

  @Get('export')
  @RequirePermission('tickets:read')
  @ApiOperation({ summary: 'Incremental export: tickets changed since a time, oldest change first', description: 'Follow nextCursor until endOfStream; keep the last cursor to poll for later changes.' })
  @ApiOkResponse({ type: ExportResponse })
  export(@Ctx() ctx: CommandContext, @Query() query: ExportQueryDto): Promise<ExportPage> {
    return this.queries.execute(new ExportTicketsQuery(ctx.tenantId, query.since, query.cursor));
  }

  @Get()
  @RequirePermission('tickets:read')
  @ApiOperation({ summary: 'List, filter and search tickets' })
  @ApiOkResponse({ type: TicketPageResponse })
  list(@Ctx() ctx: CommandContext, @Query() query: TicketListQueryDto): Promise<Page<TicketView>> {
    return this.queries.execute(new ListTicketsQuery(ctx.tenantId, query));
  }

  @Get(':id')
  @RequirePermission('tickets:read')
  @ApiOperation({ summary: 'Get a ticket' })
  @ApiOkResponse({ type: TicketResponse })
  async get(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string, @Res({ passthrough: true }) res: Response): Promise<TicketView> {
    return withEtag(res, await this.queries.execute(new GetTicketQuery(ctx.tenantId, id)));
  }

  @Patch(':id')
  @RequirePermission('tickets:write')
  @ApiOperation({ summary: 'Change a ticket (If-Match required)', description: 'Without If-Match: 428. With a stale one: 412, and nothing changes.' })
  @ApiHeader({ name: 'If-Match', required: true, description: 'The ETag from your last read' })
  @ApiOkResponse({ type: TicketResponse })
  async update(
    @Ctx() ctx: CommandContext,
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: UpdateTicketDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TicketView> {
    return withEtag(res, await this.commands.execute(new UpdateTicketCommand(ctx, id, body, requireIfMatch(ifMatch, 'ticket'))));
  }

  @Post(':id/messages')
  @RequirePermission('tickets:write')
  @ApiOperation({ summary: 'Add a public reply or an internal note' })
  @ApiCreatedResponse({ type: MessageResponse })
  addMessage(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string, @Body() body: AddMessageDto): Promise<MessageView> {
    return this.commands.execute(new AddMessageCommand(ctx, id, body));
  }

  @Get(':id/messages')
  @RequirePermission('tickets:read')
  @ApiOperation({ summary: 'The conversation, oldest first' })
  @ApiOkResponse({ type: MessagePageResponse })
  messages(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string, @Query() page: PageQueryDto): Promise<Page<MessageView>> {
    return this.queries.execute(new ListMessagesQuery(ctx.tenantId, id, page));
  }

  @Get(':id/assignments')
  @RequirePermission('tickets:read')
  @ApiOperation({ summary: 'Who the ticket was assigned to, and when, newest first' })
  @ApiOkResponse({ type: HistoryPageResponse })
  assignments(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string, @Query() page: PageQueryDto): Promise<Page<HistoryEntry>> {
    return this.queries.execute(new ListHistoryQuery(ctx.tenantId, id, page, 'assigneeId'));
  }

  @Delete(':id')
  @HttpCode(202)
  @RequirePermission('tickets:delete')
  @ApiOperation({
    summary: 'Delete a ticket for good (spam, a mistake; owners and admins)',
    description:
      'The ticket disappears from every read and console at once (202). In the background its messages, attachments (and their files), participants, AI suggestions and history are purged; the tombstone keeps only its id, number, who deleted it and when (GET /v1/tickets/{id}/deletion). There is no undo.',
  })
  @ApiAcceptedResponse({ type: TicketDeletionResponse })
  async remove(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string, @Res({ passthrough: true }) res: Response): Promise<DeletionState> {
    const state = await this.commands.execute(new DeleteTicketCommand(ctx, id));
    res.setHeader('Location', `/v1/tickets/${id}/deletion`);
    return state;
  }

  @Get(':id/deletion')
  @RequirePermission('tickets:delete')
  @ApiOperation({ summary: 'A deleted ticket’s tombstone: who deleted it, when, and when its content was purged (null while the purge runs)' })
  @ApiOkResponse({ type: TicketDeletionResponse })
  deletion(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string): Promise<DeletionState> {
    return this.queries.execute(new GetTicketDeletionQuery(ctx.tenantId, id));
  }

  @Get(':id/history')
  @RequirePermission('tickets:read')
  @ApiOperation({ summary: 'Every change of the ticket, newest first' })
  @ApiOkResponse({ type: HistoryPageResponse })
  history(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string, @Query() page: PageQueryDto): Promise<Page<HistoryEntry>> {
    return this.queries.execute(new ListHistoryQuery(ctx.tenantId, id, page));
  }

  @Post(':id/attachments')
  @RequirePermission('tickets:write')
  @ApiOperation({ summary: 'Attach a file (multipart field "file")', description: 'Streamed to storage, never held in memory; the type is read from the bytes; ATTACHMENT_MAX_BYTES (25 MB) at most. A file that would take the tenant past its plan’s storage: 402 storage-limit-reached.' })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } } })
  @ApiCreatedResponse({ type: AttachmentResponse })
  async attach(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string, @Req() req: Request): Promise<AttachmentView> {
    await this.queries.execute(new GetTicketQuery(ctx.tenantId, id)); // 404 before reading the upload
    const upload = await this.files.receive(req, ctx.tenantId, 'attachments');
    return this.commands.execute(new AddAttachmentCommand(ctx, id, upload));
  }

  @Get(':id/attachments')
  @RequirePermission('tickets:read')
  @ApiOperation({ summary: 'List a ticket’s attachments' })
  @ApiOkResponse({ type: [AttachmentResponse] })
  async attachments(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string): Promise<{ data: AttachmentView[] }> {
    return { data: await this.queries.execute(new ListAttachmentsQuery(ctx.tenantId, id)) };
  }

  @Get(':id/attachments/:attachmentId')
  @RequirePermission('tickets:read')
  @ApiOperation({ summary: 'Download an attachment' })
  @ApiProduces('application/octet-stream')
  @ApiOkResponse({ description: 'The file, with its sniffed Content-Type and a Content-Disposition: attachment' })
  @ApiResponse({ status: 302, description: 'With STORAGE_PRESIGNED_DOWNLOADS: a redirect to a short-lived URL of the object store' })
  async download(
    @Ctx() ctx: CommandContext,
    @Param('id', ParseUuidPipe) id: string,
    @Param('attachmentId', ParseUuidPipe) attachmentId: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile | undefined> {
    const attachment = await this.queries.execute(new GetAttachmentQuery(ctx.tenantId, id, attachmentId));
    // With an object store and presigned downloads on, the client fetches the bytes from the store.
    const url = await this.files.downloadUrl(ctx.tenantId, attachment.storageKey, { filename: attachment.filename, contentType: attachment.contentType });
    if (url) {
      res.setHeader('cache-control', 'private, no-store');
      res.redirect(302, url);
      return undefined;
    }
    return new StreamableFile(await this.files.read(ctx.tenantId, attachment.storageKey), {
      type: attachment.contentType,
      length: attachment.size,
      disposition: contentDisposition(attachment.filename),
    });
  }

  @Get(':id/participants')
  @RequirePermission('tickets:read')
  @ApiOperation({ summary: 'CCs and followers' })
  @ApiOkResponse({ type: [ParticipantResponse] })
  async participants(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string): Promise<{ data: ParticipantView[] }> {
    return { data: await this.queries.execute(new ListParticipantsQuery(ctx.tenantId, id)) };
  }

  @Post(':id/participants')
  @RequirePermission('tickets:write')
  @ApiOperation({ summary: 'Add a CC (contact) or follower (member)', description: '201 when added, 200 when already there.' })
  @ApiCreatedResponse({ type: ParticipantResponse })
  async addParticipant(
    @Ctx() ctx: CommandContext,
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: AddParticipantDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ParticipantView> {
    const { participant, changed } = await this.commands.execute(new ChangeParticipantsCommand(ctx, id, 'add', body.role, body.participantId));
    res.status(changed ? 201 : 200);
    return participant;
  }

  @Delete(':id/participants/:role/:participantId')
  @RequirePermission('tickets:write')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a CC or follower' })
  @ApiNoContentResponse()
  async removeParticipant(
    @Ctx() ctx: CommandContext,
    @Param('id', ParseUuidPipe) id: string,
    @Param('role') role: string,
    @Param('participantId', ParseUuidPipe) participantId: string,
  ): Promise<void> {
    if (role !== 'cc' && role !== 'follower') {
      throw new ProblemException({ status: 400, type: 'validation-failed', title: 'Bad Request', detail: 'role must be cc or follower.', errors: [{ field: 'role', message: 'must be cc or follower' }] });
    }
    await this.commands.execute(new ChangeParticipantsCommand(ctx, id, 'remove', role, participantId));
  }
}
