import { Module } from '@nestjs/common';
import { AiChatModule, AiFeaturesModule } from '@switchboard/ai-gateway';
import { answerFeature } from './ai/answer-feature';
import { AnswerPipeline } from './commands/answer-question/answer-pipeline';
import { AnswerQuestionHandler, StreamAnswerHandler } from './commands/answer-question/answer-question.handler';

/**
 * Answers from the knowledge base through the AI gateway. Apart from KnowledgeBaseModule so that
 * the worker, seed and CLIs, which never answer, do not start the chat gateway.
 */
@Module({ imports: [AiChatModule, AiFeaturesModule.register([answerFeature])], providers: [AnswerPipeline, AnswerQuestionHandler, StreamAnswerHandler] })
export class KnowledgeBaseAnswersModule {}
