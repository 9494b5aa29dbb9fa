import { Module } from '@nestjs/common';
import { AiChatModule } from './ai-chat.module';
import { AiController } from './http/ai.controller';

@Module({ imports: [AiChatModule], controllers: [AiController] })
export class AiGatewayHttpModule {}
