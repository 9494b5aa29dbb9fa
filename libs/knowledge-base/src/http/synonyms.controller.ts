import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type CommandContext, Ctx, etagOf, type Page, ParseUuidPipe, requireIfMatch, RequirePermission } from '@switchboard/platform';
import { DeleteSynonymSetCommand } from '../commands/delete-synonym-set/delete-synonym-set.command';
import { SaveSynonymSetCommand } from '../commands/save-synonym-set/save-synonym-set.command';
import { GetSynonymSetQuery, ListSynonymSetsQuery } from '../queries/list-synonym-sets/list-synonym-sets.query';
import type { SynonymSetView } from '../repositories/synonyms.sql';
import { SynonymListQueryDto, SynonymSetDto, SynonymSetPageResponse, SynonymSetResponse } from './dto';
import type { HeaderSink } from './request-info';

const withEtag = (res: HeaderSink, set: SynonymSetView): SynonymSetView => {
  res.setHeader('ETag', etagOf(set.version));
  return set;
};

/**
 * The tenant's synonym sets: a search word or phrase that is a term of a set also looks for the
 * set's other terms (at half their weight) on the lexical side of search.
 */
@ApiTags('Knowledge base')
@Controller('kb/synonyms')
export class SynonymsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @RequirePermission('kb:write')
  @ApiOperation({ summary: 'Create a synonym set', description: '2–20 terms of up to 3 words each; 422 when fewer than 2 remain different after lower-casing and folding punctuation.' })
  @ApiCreatedResponse({ type: SynonymSetResponse })
  async create(@Ctx() ctx: CommandContext, @Body() body: SynonymSetDto, @Res({ passthrough: true }) res: HeaderSink): Promise<SynonymSetView> {
    return withEtag(res, await this.commands.execute(new SaveSynonymSetCommand(ctx, null, body.terms)));
  }

  @Get()
  @RequirePermission('kb:read')
  @ApiOperation({ summary: 'List synonym sets in creation order' })
  @ApiOkResponse({ type: SynonymSetPageResponse })
  list(@Ctx() ctx: CommandContext, @Query() query: SynonymListQueryDto): Promise<Page<SynonymSetView>> {
    return this.queries.execute(new ListSynonymSetsQuery(ctx.tenantId, { term: query.term, limit: query.limit, cursor: query.cursor }));
  }

  @Get(':id')
  @RequirePermission('kb:read')
  @ApiOperation({ summary: 'Get a synonym set' })
  @ApiOkResponse({ type: SynonymSetResponse })
  async get(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string, @Res({ passthrough: true }) res: HeaderSink): Promise<SynonymSetView> {
    return withEtag(res, await this.queries.execute(new GetSynonymSetQuery(ctx.tenantId, id)));
  }

  @Put(':id')
  @RequirePermission('kb:write')
  @ApiOperation({ summary: "Replace a synonym set's terms (If-Match required)" })
  @ApiHeader({ name: 'If-Match', required: true })
  @ApiOkResponse({ type: SynonymSetResponse })
  async replace(
    @Ctx() ctx: CommandContext,
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: SynonymSetDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: HeaderSink,
  ): Promise<SynonymSetView> {
    return withEtag(res, await this.commands.execute(new SaveSynonymSetCommand(ctx, id, body.terms, requireIfMatch(ifMatch, 'synonym set'))));
  }

  @Delete(':id')
  @RequirePermission('kb:write')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a synonym set' })
  @ApiNoContentResponse()
  async delete(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string): Promise<void> {
    await this.commands.execute(new DeleteSynonymSetCommand(ctx, id));
  }
}
