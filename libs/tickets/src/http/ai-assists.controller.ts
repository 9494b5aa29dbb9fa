import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type CommandContext, Ctx, type Page, parseIfMatch, ParseUuidPipe, reportRange, RequirePermission } from '@switchboard/platform';
import type { Response } from 'express';
import { AcceptSuggestionCommand, type AcceptedSuggestion } from '../commands/accept-suggestion/accept-suggestion.command';
import { DraftReplyCommand } from '../commands/draft-reply/draft-reply.command';
import { RejectSuggestionCommand } from '../commands/reject-suggestion/reject-suggestion.command';
import { SummarizeTicketCommand } from '../commands/summarize-ticket/summarize-ticket.command';
import { TriageTicketCommand } from '../commands/triage-ticket/triage-ticket.command';
import { GetSuggestionQuery, ListSuggestionsQuery } from '../queries/list-suggestions/list-suggestions.query';
import { SuggestionStatsQuery, type SuggestionStats } from '../queries/suggestion-stats/suggestion-stats.query';
import type { SuggestionView } from '../repositories/suggestions.sql';
import {
  AcceptedSuggestionResponse,
  AcceptSuggestionDto,
  RejectSuggestionDto,
  StatsQueryDto,
  SuggestionListQueryDto,
  SuggestionPageResponse,
  SuggestionResponse,
  SuggestionStatsResponse,
} from './ai-assists.dto';

const created = (res: Response, s: SuggestionView) => {
  res.setHeader('Location', `/v1/tickets/${s.ticketId}/ai/suggestions/${s.id}`);
  return s;
};

/** AI assists on a ticket: suggestions are stored, and change the ticket only when an agent accepts one. */
@ApiTags('Ticket AI assists')
@Controller('tickets')
export class AiAssistsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get('ai/suggestions/stats')
  @RequirePermission('reports:read')
  @ApiOperation({ summary: 'How AI suggestions fared: per kind, created / accepted / rejected / pending, and the acceptance rate', description: 'Suggestions created in [from, to). Default: this UTC month so far; at most 366 days.' })
  @ApiOkResponse({ type: SuggestionStatsResponse })
  stats(@Ctx() ctx: CommandContext, @Query() query: StatsQueryDto): Promise<SuggestionStats> {
    const { from, to } = reportRange(query);
    return this.queries.execute(new SuggestionStatsQuery(ctx.tenantId, from, to));
  }

  @Post(':id/ai/summary')
  @RequirePermission('tickets:read', 'ai:use')
  @ApiOperation({ summary: 'Suggest a summary of the ticket', description: 'Stored as a pending suggestion; a newer one of the same kind supersedes it. A plan without AI assists: 402 plan-feature-unavailable.' })
  @ApiCreatedResponse({ type: SuggestionResponse })
  async summary(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string, @Res({ passthrough: true }) res: Response): Promise<SuggestionView> {
    return created(res, await this.commands.execute(new SummarizeTicketCommand(ctx, id)));
  }

  @Post(':id/ai/draft')
  @RequirePermission('tickets:read', 'ai:use')
  @ApiOperation({ summary: 'Suggest a reply to the customer, grounded in the public help center', description: 'Internal notes are not used. output.passages names the articles the draft may quote. A plan without AI assists: 402 plan-feature-unavailable.' })
  @ApiCreatedResponse({ type: SuggestionResponse })
  async draft(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string, @Res({ passthrough: true }) res: Response): Promise<SuggestionView> {
    return created(res, await this.commands.execute(new DraftReplyCommand(ctx, id)));
  }

  @Post(':id/ai/triage')
  @RequirePermission('tickets:read', 'ai:use')
  @ApiOperation({
    summary: 'Suggest a priority, tags and group, each with a confidence',
    description:
      'group is one of the tenant’s groups or null (output.notes.group says why). A model answer that fails the schema twice is kept as an invalid suggestion and answered 422 ai-triage-invalid. A group that switched triage off: 403 ai-assist-disabled. A plan without AI assists: 402 plan-feature-unavailable.',
  })
  @ApiCreatedResponse({ type: SuggestionResponse })
  async triage(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string, @Res({ passthrough: true }) res: Response): Promise<SuggestionView> {
    return created(res, await this.commands.execute(new TriageTicketCommand(ctx, id)));
  }

  @Get(':id/ai/suggestions')
  @RequirePermission('tickets:read')
  @ApiOperation({ summary: 'The ticket’s AI suggestions, newest first' })
  @ApiOkResponse({ type: SuggestionPageResponse })
  list(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string, @Query() query: SuggestionListQueryDto): Promise<Page<SuggestionView>> {
    return this.queries.execute(new ListSuggestionsQuery(ctx.tenantId, id, { limit: query.limit, cursor: query.cursor }, { kind: query.kind, status: query.status }));
  }

  @Get(':id/ai/suggestions/:suggestionId')
  @RequirePermission('tickets:read')
  @ApiOperation({ summary: 'One AI suggestion' })
  @ApiOkResponse({ type: SuggestionResponse })
  get(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string, @Param('suggestionId', ParseUuidPipe) suggestionId: string): Promise<SuggestionView> {
    return this.queries.execute(new GetSuggestionQuery(ctx.tenantId, id, suggestionId));
  }

  @Post(':id/ai/suggestions/:suggestionId/accept')
  @HttpCode(200)
  @RequirePermission('tickets:write')
  @ApiOperation({
    summary: 'Accept a suggestion, optionally edited, and apply it through the ordinary commands',
    description:
      'draft → a public reply (or internal note); triage → the ticket update (priority, tags added) with its version check: without If-Match it applies only to the version the suggestion was made for (412 otherwise); summary → recorded, and with asNote an internal note. Deciding twice → 409.',
  })
  @ApiHeader({ name: 'If-Match', required: false, description: 'The ticket ETag the agent saw; lets a suggestion made for an older version apply to this one' })
  @ApiOkResponse({ type: AcceptedSuggestionResponse })
  accept(
    @Ctx() ctx: CommandContext,
    @Param('id', ParseUuidPipe) id: string,
    @Param('suggestionId', ParseUuidPipe) suggestionId: string,
    @Body() body: AcceptSuggestionDto,
    @Headers('if-match') ifMatch: string | undefined,
  ): Promise<AcceptedSuggestion> {
    const version = parseIfMatch(ifMatch);
    return this.commands.execute(new AcceptSuggestionCommand(ctx, id, suggestionId, body, version));
  }

  @Post(':id/ai/suggestions/:suggestionId/reject')
  @HttpCode(200)
  @RequirePermission('tickets:write')
  @ApiOperation({ summary: 'Reject a suggestion, optionally saying why', description: 'The ticket is not changed. Deciding twice → 409.' })
  @ApiOkResponse({ type: SuggestionResponse })
  reject(
    @Ctx() ctx: CommandContext,
    @Param('id', ParseUuidPipe) id: string,
    @Param('suggestionId', ParseUuidPipe) suggestionId: string,
    @Body() body: RejectSuggestionDto,
  ): Promise<SuggestionView> {
    return this.commands.execute(new RejectSuggestionCommand(ctx, id, suggestionId, body.reason ?? null));
  }
}
