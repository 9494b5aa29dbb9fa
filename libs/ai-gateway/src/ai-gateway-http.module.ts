import { Module } from '@nestjs/common';
import { AiChatModule } from './ai-chat.module';
import { AiController } from './http/ai.controller';
import { AiTemplatesController } from './http/ai-templates.controller';

@Module({ imports: [AiChatModule], controllers: [AiController, AiTemplatesController] })
export class AiGatewayHttpModule {}
