import { Module } from '@nestjs/common';
import { HelpCenterController } from './http/help-center.controller';
import { KnowledgeBaseController } from './http/kb.controller';
import { KnowledgeBaseModule } from './knowledge-base.module';

@Module({ imports: [KnowledgeBaseModule], controllers: [KnowledgeBaseController, HelpCenterController] })
export class KnowledgeBaseHttpModule {}
