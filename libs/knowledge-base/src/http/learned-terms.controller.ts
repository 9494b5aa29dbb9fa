import { Controller, Delete, Get, Param, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type CommandContext, Ctx, ParseUuidPipe, ProblemException, RequirePermission } from '@switchboard/platform';
import { ForgetLearnedTermsCommand } from '../commands/forget-learned-terms/forget-learned-terms.command';
import { ListLearnedTermsQuery } from '../queries/list-learned-terms/list-learned-terms.query';
import { ForgottenTermsResponse, LearnedTermsQueryDto, LearnedTermsResponse } from './dto';

/** A lexeme as `to_tsvector` writes it: letters, digits and a few joiners, up to 40 characters (what evidence stores). */
const LEXEME = /^[\p{L}\p{N}][\p{L}\p{N}'._-]{0,39}$/u;

/**
 * What search learned about an article from agents' replies that link or cite it (ADR 0063): its
 * words and their evidence, to see why an article ranks for a query, and to forget a wrong link's.
 */
@ApiTags('Knowledge base')
@Controller('kb/articles/:id/learned-terms')
export class LearnedTermsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @RequirePermission('kb:read')
  @ApiOperation({ summary: "An article's learned words, strongest first", description: 'Evidence decayed to now; a word with more evidence lifts the article for queries holding it.' })
  @ApiOkResponse({ type: LearnedTermsResponse })
  list(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string, @Query() query: LearnedTermsQueryDto): Promise<LearnedTermsResponse> {
    return this.queries.execute(new ListLearnedTermsQuery(ctx.tenantId, id, query.limit));
  }

  @Delete()
  @RequirePermission('kb:write')
  @ApiOperation({ summary: 'Forget every word the article learned', description: 'Later citations teach it again. Audited.' })
  @ApiOkResponse({ type: ForgottenTermsResponse })
  forgetAll(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string): Promise<ForgottenTermsResponse> {
    return this.commands.execute(new ForgetLearnedTermsCommand(ctx, id, null));
  }

  @Delete(':lexeme')
  @RequirePermission('kb:write')
  @ApiOperation({ summary: 'Forget one learned word of the article', description: 'The lexeme as listed (stemmed); 404 when the article did not learn it. Audited.' })
  @ApiOkResponse({ type: ForgottenTermsResponse })
  forgetOne(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string, @Param('lexeme') lexeme: string): Promise<ForgottenTermsResponse> {
    if (!LEXEME.test(lexeme)) {
      throw new ProblemException({ status: 400, type: 'validation-failed', title: 'Bad Request', detail: 'lexeme must be a word as listed: 1–40 letters, digits, apostrophes, dots, underscores or hyphens.' });
    }
    return this.commands.execute(new ForgetLearnedTermsCommand(ctx, id, lexeme.toLowerCase()));
  }
}
