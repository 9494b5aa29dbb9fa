import { Module } from '@nestjs/common';
import { SynonymsController } from './http/synonyms.controller';
import { LearnedTermsController } from './http/learned-terms.controller';
import { AnswerController } from './http/answer.controller';
import { HelpCenterAnswerController } from './http/help-center-answer.controller';
import { HelpCenterController } from './http/help-center.controller';
import { KnowledgeBaseController } from './http/kb.controller';
import { KnowledgeBaseAnswersModule } from './knowledge-base-answers.module';
import { KnowledgeBaseModule } from './knowledge-base.module';

@Module({ imports: [KnowledgeBaseModule, KnowledgeBaseAnswersModule], controllers: [KnowledgeBaseController, SynonymsController, LearnedTermsController, HelpCenterController, HelpCenterAnswerController, AnswerController] })
export class KnowledgeBaseHttpModule {}
