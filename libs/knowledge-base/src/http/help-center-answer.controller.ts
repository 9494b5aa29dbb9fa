import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiServiceUnavailableResponse, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { notFound, ProblemException, Public, RateLimit, type CommandContext } from '@switchboard/platform';
import { FindPublicTenantQuery, type PublicTenant } from '@switchboard/tenancy';
import { AnswerQuestionCommand, StreamAnswerCommand } from '../commands/answer-question/answer-question.command';
import { writeAnswerSse } from './answer-sse';
import { AnswerDto, AnswerResponse } from './answer.dto';
import { abortOnClose, answerResponse, Visitor, type HeaderSink, type VisitorInfo } from './request-info';
import { HelpCenterAnswerRateLimit } from '../knowledge-base.context';

/** What a visitor may be told about the tenant's AI set-up when it fails: nothing but that it failed. */
const UNAVAILABLE = new Set(['ai-budget-exceeded', 'ai-provider-not-configured', 'ai-model-not-allowed', 'ai-provider-failed', 'ai-provider-timeout', 'ai-prompt-too-large']);

/**
 * Answers for anonymous help-center visitors: published public articles only, a per-IP budget of
 * its own (RATE_LIMIT_HELP_CENTER_ANSWER_PER_MINUTE) on top of the help center's, and usage
 * metered to the tenant with the visitor as actor.
 */
@ApiTags('Help center (public)')
@Controller('help-center/:tenantSlug')
@Public()
export class HelpCenterAnswerController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post('answer')
  @HttpCode(200)
  @RateLimit(HelpCenterAnswerRateLimit)
  @ApiOperation({
    summary: 'Answer a visitor’s question from the public help center, with citations',
    description:
      'Only published public articles are read or cited. `found: false` (no model call) when nothing close enough exists. Rate-limited per IP by RATE_LIMIT_HELP_CENTER_ANSWER_PER_MINUTE. ' +
      '`stream: true` answers with Server-Sent Events like POST /v1/ai/answer.',
  })
  @ApiProduces('application/json', 'text/event-stream')
  @ApiOkResponse({ type: AnswerResponse })
  @ApiNotFoundResponse({ description: 'No active help center with this slug (problem+json)' })
  @ApiTooManyRequestsResponse({ description: 'Per-IP answer budget spent; see Retry-After (problem+json)' })
  @ApiServiceUnavailableResponse({ description: 'Answers are unavailable (AI budget spent or provider failing); search still works (problem+json)' })
  async answer(@Param('tenantSlug') slug: string, @Body() body: AnswerDto, @Visitor() visitor: VisitorInfo, @Res({ passthrough: true }) res: HeaderSink): Promise<AnswerResponse | undefined> {
    const tenant: PublicTenant | null = await this.queries.execute(new FindPublicTenantQuery(slug));
    if (!tenant) throw notFound('Help center', `"${slug.slice(0, 80)}"`);
    const context: CommandContext = { tenantId: tenant.id, actorId: null, actorType: 'visitor', correlationId: visitor.requestId, ip: visitor.ip, userAgent: visitor.userAgent };
    const input = { question: body.question, locale: body.locale, audience: 'public' as const, helpCenterSlug: tenant.slug };
    const signal = abortOnClose(res).signal;
    try {
      if (body.stream) {
        const stream = await this.commands.execute(new StreamAnswerCommand(context, input, signal));
        await writeAnswerSse(res, stream, { errorDetail: () => 'Answers are not available right now; search the help center instead.' });
        return undefined;
      }
      return answerResponse(await this.commands.execute(new AnswerQuestionCommand(context, input, signal)), null);
    } catch (error) {
      if (error instanceof ProblemException && UNAVAILABLE.has(error.problem.type)) {
        throw new ProblemException({ status: 503, type: 'answers-unavailable', title: 'Service Unavailable', detail: 'Answers are not available right now; search the help center instead.', headers: { 'Retry-After': '60' } });
      }
      throw error;
    }
  }
}
