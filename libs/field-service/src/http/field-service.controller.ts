import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiConflictResponse, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type CommandContext, Ctx, type Page, PageQueryDto, ParseUuidPipe, RequirePermission } from '@switchboard/platform';
import type { Response } from 'express';
import { AddLineItemCommand } from '../commands/add-line-item/add-line-item.command';
import { AddNoteCommand } from '../commands/add-note/add-note.command';
import { AssignVisitCommand } from '../commands/assign-visit/assign-visit.command';
import { CancelVisitCommand } from '../commands/cancel-visit/cancel-visit.command';
import { ClockVisitCommand } from '../commands/clock-visit/clock-visit.command';
import { CloseJobCommand } from '../commands/close-job/close-job.command';
import { FinalizeCloseOutCommand } from '../commands/finalize-close-out/finalize-close-out.command';
import { InitiateCloseOutCommand } from '../commands/initiate-close-out/initiate-close-out.command';
import { GetCloseOutQuery } from '../queries/get-close-out/get-close-out.query';
import type { CloseOutView } from '../repositories/close-outs.sql';
import { CloseOutResponse, FinalizeCloseOutDto, InitiateCloseOutDto } from './close-out.dto';
import { CreateJobCommand } from '../commands/create-job/create-job.command';
import { RemoveLineItemCommand } from '../commands/remove-line-item/remove-line-item.command';
import { RescheduleVisitCommand } from '../commands/reschedule-visit/reschedule-visit.command';
import { ScheduleVisitCommand } from '../commands/schedule-visit/schedule-visit.command';
import { assertDispatchRange, assertTimeZone, dayBounds } from '../domain/dispatch';
import { DispatchBoardQuery, type DispatchBoard, type DispatchVisit } from '../queries/dispatch-board/dispatch-board.query';
import { GetJobQuery } from '../queries/get-job/get-job.query';
import { ListJobHistoryQuery } from '../queries/list-job-history/list-job-history.query';
import { ListJobsQuery } from '../queries/list-jobs/list-jobs.query';
import type { JobDetail } from '../repositories/job-detail.reader';
import type { HistoryEntry, JobListItem, NoteView } from '../repositories/jobs.sql';
import type { LineItemView } from '../repositories/line-items.sql';
import type { VisitView } from '../repositories/visits.sql';
import {
  AddLineItemDto,
  AddNoteDto,
  AssignVisitDto,
  CreateJobDto,
  DispatchBoardResponse,
  DispatchQueryDto,
  JobHistoryPageResponse,
  JobDetailResponse,
  JobListQueryDto,
  JobPageResponse,
  LineItemResponse,
  MyVisitsQueryDto,
  MyVisitsResponse,
  NoteResponse,
  RescheduleVisitDto,
  ScheduleVisitDto,
  VisitResponse,
} from './dto';

const CLOSED = 'A completed or cancelled job, or a visit in the wrong status: 409 problem+json with currentStatus';

@ApiTags('Field service')
@Controller('field-service')
export class FieldServiceController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post('jobs')
  @RequirePermission('jobs:write')
  @ApiOperation({ summary: 'Create a job for a contact at one of their addresses', description: 'Another tenant’s contact, address or ticket: 404. An address of another contact: 422. A plan without field service: 402 plan-feature-unavailable.' })
  @ApiCreatedResponse({ type: JobDetailResponse })
  async createJob(@Ctx() ctx: CommandContext, @Body() body: CreateJobDto, @Res({ passthrough: true }) res: Response): Promise<JobDetail> {
    const job = await this.commands.execute(new CreateJobCommand(ctx, body));
    res.setHeader('Location', `/v1/field-service/jobs/${job.id}`);
    return job;
  }

  @Get('jobs')
  @RequirePermission('jobs:read')
  @ApiOperation({ summary: 'Jobs, newest first, with each one’s next visit', description: 'Filter by status, contact or the ticket the job was created from (ticketId). A malformed id: 400.' })
  @ApiOkResponse({ type: JobPageResponse })
  listJobs(@Ctx() ctx: CommandContext, @Query() query: JobListQueryDto): Promise<Page<JobListItem>> {
    return this.queries.execute(
      new ListJobsQuery(ctx.tenantId, { limit: query.limit, cursor: query.cursor, status: query.status, contactId: query.contactId, ticketId: query.ticketId }),
    );
  }

  @Get('jobs/:id')
  @RequirePermission('jobs:read')
  @ApiOperation({ summary: 'A job with its visits, line items, notes and totals' })
  @ApiOkResponse({ type: JobDetailResponse })
  getJob(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string): Promise<JobDetail> {
    return this.queries.execute(new GetJobQuery(ctx.tenantId, id));
  }

  @Get('jobs/:id/history')
  @RequirePermission('jobs:read')
  @ApiOperation({ summary: 'Every change of the job and its visits, newest first' })
  @ApiOkResponse({ type: JobHistoryPageResponse })
  history(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string, @Query() page: PageQueryDto): Promise<Page<HistoryEntry>> {
    return this.queries.execute(new ListJobHistoryQuery(ctx.tenantId, id, { limit: page.limit, cursor: page.cursor }));
  }

  @Post('jobs/:id/visits')
  @RequirePermission('jobs:write')
  @ApiOperation({
    summary: 'Schedule a visit',
    description: '1 minute to 12 hours, not in the past (422). A technician already booked at an overlapping time: 409 problem+json with conflictingVisitId.',
  })
  @ApiCreatedResponse({ type: VisitResponse })
  @ApiConflictResponse({ description: CLOSED })
  scheduleVisit(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string, @Body() body: ScheduleVisitDto): Promise<VisitView> {
    return this.commands.execute(new ScheduleVisitCommand(ctx, id, body));
  }

  @Post('visits/:id/reschedule')
  @HttpCode(200)
  @RequirePermission('jobs:write')
  @ApiOperation({ summary: 'Move a visit that has not started', description: 'The arrival window is replaced by the one sent (or none). Double booking: 409 with conflictingVisitId.' })
  @ApiOkResponse({ type: VisitResponse })
  @ApiConflictResponse({ description: CLOSED })
  reschedule(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string, @Body() body: RescheduleVisitDto): Promise<VisitView> {
    return this.commands.execute(new RescheduleVisitCommand(ctx, id, body));
  }

  @Post('visits/:id/assign')
  @HttpCode(200)
  @RequirePermission('jobs:write')
  @ApiOperation({ summary: 'Assign a visit that has not started to a technician (null unassigns)', description: 'Not a technician of this tenant: 422. Double booking: 409.' })
  @ApiOkResponse({ type: VisitResponse })
  @ApiConflictResponse({ description: CLOSED })
  assign(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string, @Body() body: AssignVisitDto): Promise<VisitView> {
    return this.commands.execute(new AssignVisitCommand(ctx, id, body.technicianId));
  }

  @Post('visits/:id/cancel')
  @HttpCode(200)
  @RequirePermission('jobs:write')
  @ApiOperation({ summary: 'Cancel a visit that has not started' })
  @ApiOkResponse({ type: VisitResponse })
  @ApiConflictResponse({ description: CLOSED })
  cancelVisit(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string): Promise<VisitView> {
    return this.commands.execute(new CancelVisitCommand(ctx, id));
  }

  @Post('visits/:id/clock-in')
  @HttpCode(200)
  @RequirePermission('jobs:write')
  @ApiOperation({ summary: 'Clock in: the visit starts now (server time)', description: 'A second clock-in: 409. A technician clocks only visits assigned to them (403); dispatchers any.' })
  @ApiOkResponse({ type: VisitResponse })
  @ApiConflictResponse({ description: CLOSED })
  clockIn(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string): Promise<VisitView> {
    return this.commands.execute(new ClockVisitCommand(ctx, id, 'in'));
  }

  @Post('visits/:id/clock-out')
  @HttpCode(200)
  @RequirePermission('jobs:write')
  @ApiOperation({ summary: 'Clock out: the visit is done; actualMinutes follows', description: 'Before clock-in, or a second time: 409. A technician clocks only visits assigned to them (403).' })
  @ApiOkResponse({ type: VisitResponse })
  @ApiConflictResponse({ description: CLOSED })
  clockOut(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string): Promise<VisitView> {
    return this.commands.execute(new ClockVisitCommand(ctx, id, 'out'));
  }

  @Post('jobs/:id/line-items')
  @RequirePermission('jobs:write')
  @ApiOperation({ summary: 'Add a line item, from the catalog or free text', description: 'The server computes subtotal, tax and total. A currency other than the job’s: 422.' })
  @ApiCreatedResponse({ type: LineItemResponse })
  @ApiConflictResponse({ description: CLOSED })
  addLineItem(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string, @Body() body: AddLineItemDto): Promise<LineItemView> {
    return this.commands.execute(new AddLineItemCommand(ctx, id, body));
  }

  @Delete('jobs/:id/line-items/:itemId')
  @HttpCode(204)
  @RequirePermission('jobs:write')
  @ApiOperation({ summary: 'Remove a line item' })
  @ApiNoContentResponse()
  @ApiConflictResponse({ description: CLOSED })
  async removeLineItem(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string, @Param('itemId', ParseUuidPipe) itemId: string): Promise<void> {
    await this.commands.execute(new RemoveLineItemCommand(ctx, id, itemId));
  }

  @Post('jobs/:id/notes')
  @RequirePermission('jobs:write')
  @ApiOperation({ summary: 'Add a note to a job' })
  @ApiCreatedResponse({ type: NoteResponse })
  @ApiConflictResponse({ description: CLOSED })
  addNote(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string, @Body() body: AddNoteDto): Promise<NoteView> {
    return this.commands.execute(new AddNoteCommand(ctx, id, body.body));
  }

  @Post('jobs/:id/complete')
  @HttpCode(200)
  @RequirePermission('jobs:write')
  @ApiOperation({ summary: 'Complete a job', description: 'Not while a visit is clocked in (409). Visits not started are cancelled. A completed job never changes again.' })
  @ApiOkResponse({ type: JobDetailResponse })
  @ApiConflictResponse({ description: CLOSED })
  complete(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string): Promise<JobDetail> {
    return this.commands.execute(new CloseJobCommand(ctx, id, 'completed'));
  }

  @Post('jobs/:id/close-out')
  @RequirePermission('jobs:write')
  @ApiOperation({
    summary: 'Start closing a job out: duration and notes, with customer attributes the AI reads from the notes',
    description:
      'Nothing is applied yet: the close-out awaits the technician’s confirmation. With the AI provider down, over budget or answering out of schema, the close-out is still created, without suggestions (extraction.status unavailable or invalid). Again before finalizing: the draft is replaced. A technician closes out only jobs they have a visit on (403).',
  })
  @ApiCreatedResponse({ type: CloseOutResponse })
  @ApiConflictResponse({ description: `${CLOSED}; or a close-out already finalized (close-out-finalized)` })
  initiateCloseOut(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string, @Body() body: InitiateCloseOutDto): Promise<CloseOutView> {
    return this.commands.execute(new InitiateCloseOutCommand(ctx, id, body));
  }

  @Get('jobs/:id/close-out')
  @RequirePermission('jobs:read')
  @ApiOperation({ summary: 'A job’s close-out, awaiting confirmation or finalized', description: 'A job never closed out: 404.' })
  @ApiOkResponse({ type: CloseOutResponse })
  getCloseOut(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string): Promise<CloseOutView> {
    return this.queries.execute(new GetCloseOutQuery(ctx.tenantId, id));
  }

  @Post('jobs/:id/close-out/finalize')
  @HttpCode(200)
  @RequirePermission('jobs:write')
  @ApiOperation({
    summary: 'Finalize the close-out: confirm, edit or drop each attribute and choose the next action; the job is completed',
    description:
      'Confirmed attributes reach the contact through the outbox (GET /v1/contacts/{id}/attributes). schedule_visit books a visit on a follow-up job through the ordinary booking (double booking: 409, and nothing of the close-out is written); reach_out records a pending follow-up. Unknown attribute keys or a next action missing its fields: 422. Finalizing again: 409.',
  })
  @ApiOkResponse({ type: CloseOutResponse })
  @ApiConflictResponse({ description: `${CLOSED}; no close-out started (close-out-not-started), already finalized (close-out-finalized), or double-booking` })
  finalizeCloseOut(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string, @Body() body: FinalizeCloseOutDto): Promise<CloseOutView> {
    return this.commands.execute(new FinalizeCloseOutCommand(ctx, id, body));
  }

  @Post('jobs/:id/cancel')
  @HttpCode(200)
  @RequirePermission('jobs:write')
  @ApiOperation({ summary: 'Cancel a job', description: 'Not while a visit is clocked in (409). Visits not started are cancelled.' })
  @ApiOkResponse({ type: JobDetailResponse })
  @ApiConflictResponse({ description: CLOSED })
  cancel(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string): Promise<JobDetail> {
    return this.commands.execute(new CloseJobCommand(ctx, id, 'cancelled'));
  }

  @Get('dispatch')
  @RequirePermission('jobs:read')
  @ApiOperation({ summary: 'Visits by day and technician, unassigned first', description: 'Visits not cancelled that overlap [from, to); at most 31 days; days cut in tz.' })
  @ApiOkResponse({ type: DispatchBoardResponse })
  dispatch(@Ctx() ctx: CommandContext, @Query() query: DispatchQueryDto): Promise<DispatchBoard> {
    const timeZone = query.tz ?? 'UTC';
    assertTimeZone(timeZone);
    const from = new Date(query.from);
    const to = new Date(query.to);
    assertDispatchRange(from, to);
    return this.queries.execute(new DispatchBoardQuery(ctx.tenantId, from, to, timeZone, query.technicianId));
  }

  @Get('my-visits')
  @RequirePermission('jobs:read')
  @ApiOperation({ summary: 'The calling technician’s visits on one day' })
  @ApiOkResponse({ type: MyVisitsResponse })
  async myVisits(@Ctx() ctx: CommandContext, @Query() query: MyVisitsQueryDto): Promise<{ date: string; timeZone: string; data: DispatchVisit[] }> {
    const timeZone = query.tz ?? 'UTC';
    assertTimeZone(timeZone);
    const { from, to } = dayBounds(query.date, timeZone);
    if (!ctx.actorId) return { date: query.date, timeZone, data: [] };
    const board = await this.queries.execute(new DispatchBoardQuery(ctx.tenantId, from, to, timeZone, ctx.actorId));
    return { date: query.date, timeZone, data: board.days.flatMap((d) => d.technicians.flatMap((t) => t.visits)) };
  }
}
