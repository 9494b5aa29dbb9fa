import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Ctx, ProblemException, RequirePermission, type CommandContext } from '@switchboard/platform';
import { AnswerQuestionCommand } from '../commands/answer-question/answer-question.command';
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
      'When no passage is close enough the answer is `found: false` without calling a model (and without a usage row). Needs `kb:read` as well, since internal articles are read.',
  })
  @ApiOkResponse({ type: AnswerResponse })
  async answer(@Ctx() ctx: CommandContext, @CredentialPermissions() permissions: readonly string[], @Body() body: AnswerDto, @Res({ passthrough: true }) res: HeaderSink): Promise<AnswerResponse> {
    if (!permissions.includes('kb:read')) {
      throw new ProblemException({ status: 403, type: 'forbidden', title: 'Forbidden', detail: 'Answers read the knowledge base: this credential lacks the "kb:read" permission.', extensions: { requiredPermission: 'kb:read' } });
    }
    const result = await this.commands.execute(new AnswerQuestionCommand(ctx, { question: body.question, locale: body.locale, audience: 'agent' }, abortOnClose(res).signal));
    return answerResponse(result, res);
  }
}
