import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type CommandContext, Ctx, type Page, ParseUuidPipe, RequirePermission } from '@switchboard/platform';
import type { Response } from 'express';
import { CaptureLeadCommand } from '../commands/capture-lead/capture-lead.command';
import { ConvertLeadCommand } from '../commands/convert-lead/convert-lead.command';
import { DismissLeadCommand } from '../commands/dismiss-lead/dismiss-lead.command';
import { SuggestLeadCommand } from '../commands/suggest-lead/suggest-lead.command';
import { GetLeadQuery } from '../queries/get-lead/get-lead.query';
import { ListLeadsQuery } from '../queries/list-leads/list-leads.query';
import type { LeadView } from '../repositories/leads.sql';
import { CaptureLeadDto, ConvertLeadDto, DismissLeadDto, LeadListQueryDto, LeadPageResponse, LeadResponse } from './leads.dto';

const NOT_NEW = 'A lead already converted (lead-converted) or dismissed (lead-dismissed): 409 problem+json with currentStatus';

@ApiTags('Field service')
@Controller('field-service/leads')
export class LeadsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @RequirePermission('jobs:write')
  @ApiOperation({ summary: 'Capture a lead: raw notes from a call or a contact form, with any fields that came with them', description: 'A malformed email or phone, or a service not in the catalog: 422.' })
  @ApiCreatedResponse({ type: LeadResponse })
  async capture(@Ctx() ctx: CommandContext, @Body() body: CaptureLeadDto, @Res({ passthrough: true }) res: Response): Promise<LeadView> {
    const lead = await this.commands.execute(new CaptureLeadCommand(ctx, body));
    res.setHeader('Location', `/v1/field-service/leads/${lead.id}`);
    return lead;
  }

  @Get()
  @RequirePermission('jobs:read')
  @ApiOperation({ summary: 'Leads, newest first' })
  @ApiOkResponse({ type: LeadPageResponse })
  list(@Ctx() ctx: CommandContext, @Query() query: LeadListQueryDto): Promise<Page<LeadView>> {
    return this.queries.execute(new ListLeadsQuery(ctx.tenantId, { limit: query.limit, cursor: query.cursor, status: query.status }));
  }

  @Get(':id')
  @RequirePermission('jobs:read')
  @ApiOperation({ summary: 'A lead with its suggestions and, once converted, its contact and job' })
  @ApiOkResponse({ type: LeadResponse })
  get(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string): Promise<LeadView> {
    return this.queries.execute(new GetLeadQuery(ctx.tenantId, id));
  }

  @Post(':id/suggest')
  @HttpCode(200)
  @RequirePermission('jobs:write')
  @ApiOperation({
    summary: 'Read the notes through the AI gateway into suggested fields (feature field_service_lead_extraction)',
    description:
      'Suggestions (name, phone, email, address, requested service, each with a confidence) are stored on the lead and applied to nothing. With the provider down, over budget or answering out of schema, the lead is unchanged apart from extraction.status (unavailable or invalid) and an empty list. Again: the suggestions are replaced.',
  })
  @ApiOkResponse({ type: LeadResponse })
  @ApiConflictResponse({ description: NOT_NEW })
  suggest(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string): Promise<LeadView> {
    return this.commands.execute(new SuggestLeadCommand(ctx, id));
  }

  @Post(':id/convert')
  @HttpCode(200)
  @RequirePermission('jobs:write')
  @ApiOperation({
    summary: 'Convert a lead with the confirmed fields: contact found or created, address added if new, optionally a job',
    description:
      'The contact is found by email (or, without one, by phone) or created; the address is added unless the contact already has it; with serviceId (or createJob) a job is created. All in one transaction: a refusal leaves nothing written. No email and no phone, a malformed one, a job without an address, or a service not in the catalog: 422.',
  })
  @ApiOkResponse({ type: LeadResponse })
  @ApiConflictResponse({ description: NOT_NEW })
  convert(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string, @Body() body: ConvertLeadDto): Promise<LeadView> {
    return this.commands.execute(new ConvertLeadCommand(ctx, id, body));
  }

  @Post(':id/dismiss')
  @HttpCode(200)
  @RequirePermission('jobs:write')
  @ApiOperation({ summary: 'Dismiss a new lead (spam, out of area, a duplicate)' })
  @ApiOkResponse({ type: LeadResponse })
  @ApiConflictResponse({ description: NOT_NEW })
  dismiss(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string, @Body() body: DismissLeadDto): Promise<LeadView> {
    return this.commands.execute(new DismissLeadCommand(ctx, id, body.reason ?? null));
  }
}
