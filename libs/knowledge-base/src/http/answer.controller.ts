import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Ctx, ProblemException, RequirePermission, type CommandContext } from '@switchboard/platform';
import { AnswerQuestionCommand, StreamAnswerCommand } from '../commands/answer-question/answer-question.command';
import { writeAnswerSse } from './answer-sse';
import { AnswerDto, AnswerResponse } from './answer.dto';
import { abortOnClose, answerResponse, CredentialPermissions, type HeaderSink } from './request-info';

/** Knowledge-base answers for agents and integrations: every visibility of published articles. */
@ApiTags('AI')
@Controller('ai')
export class AnswerController {
  constructor(private readonly commands: CommandBus) {}

  @Post('answer')
  @HttpCode(200)
  @RequirePermission('ai:use')
  @ApiOperation({
    summary: 'Answer a question from the knowledge base, with citations',
    description:
      'Hybrid search over published articles (internal ones included), the best passages fitted into KB_ANSWER_CONTEXT_TOKENS, one call through the tenant’s `answer` route. ' +
      'When no passage is close enough the answer is `found: false` without calling a model (and without a usage row). Needs `kb:read` as well, since internal articles are read. ' +
      'With `stream: true` the answer is text/event-stream: `start`, `delta` events, then `done` carrying this same body.',
  })
  @ApiProduces('application/json', 'text/event-stream')
  @ApiOkResponse({ type: AnswerResponse })
  async answer(@Ctx() ctx: CommandContext, @CredentialPermissions() permissions: readonly string[], @Body() body: AnswerDto, @Res({ passthrough: true }) res: HeaderSink): Promise<AnswerResponse | undefined> {
    if (!permissions.includes('kb:read')) {
      throw new ProblemException({ status: 403, type: 'forbidden', title: 'Forbidden', detail: 'Answers read the knowledge base: this credential lacks the "kb:read" permission.', extensions: { requiredPermission: 'kb:read' } });
    }
    const input = { question: body.question, locale: body.locale, audience: 'agent' as const };
    const signal = abortOnClose(res).signal;
    if (body.stream) {
      const stream = await this.commands.execute(new StreamAnswerCommand(ctx, input, signal));
      await writeAnswerSse(res, stream, { headers: stream.budgetWarning ? { 'AI-Budget-Warning': stream.budgetWarning } : {}, errorDetail: (e) => `The AI provider failed mid-answer: ${e.message.slice(0, 300)}` });
      return undefined;
    }
    return answerResponse(await this.commands.execute(new AnswerQuestionCommand(ctx, input, signal)), res);
  }
}
