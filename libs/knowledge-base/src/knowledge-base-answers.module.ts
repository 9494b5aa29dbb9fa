import { Module } from '@nestjs/common';
import { AiChatModule } from '@switchboard/ai-gateway';
import { AnswerQuestionHandler } from './commands/answer-question/answer-question.handler';

/**
 * Answers from the knowledge base through the AI gateway. Apart from KnowledgeBaseModule so that
 * the worker, seed and CLIs, which never answer, do not start the chat gateway.
 */
@Module({ imports: [AiChatModule], providers: [AnswerQuestionHandler] })
export class KnowledgeBaseAnswersModule {}
