import { Module } from '@nestjs/common';
import { AiChatModule, AiFeaturesModule } from '@switchboard/ai-gateway';
import { answerFeature } from './ai/answer-feature';
import { AnswerPipeline } from './commands/answer-question/answer-pipeline';
import { AnswerQuestionHandler, StreamAnswerHandler } from './commands/answer-question/answer-question.handler';
import { KnowledgeBaseModule } from './knowledge-base.module';

/**
 * Answers from the knowledge base through the AI gateway. Apart from KnowledgeBaseModule so that
 * the worker, seed and CLIs, which never answer, do not start the chat gateway. It imports what
 * it uses: the AI gateway's chat (AiGateway, PromptTemplates) and the knowledge base itself (the
 * SearchArticlesQuery it sends, the repositories its passages come from).
 */
@Module({ imports: [KnowledgeBaseModule, AiChatModule, AiFeaturesModule.register([answerFeature])], providers: [AnswerPipeline, AnswerQuestionHandler, StreamAnswerHandler] })
export class KnowledgeBaseAnswersModule {}
