import { Module } from '@nestjs/common';
import { CHANNEL_CONTROLLERS, CHANNEL_HTTP_PROVIDERS } from './channels/channels.providers';
import { AiAssistsController } from './http/ai-assists.controller';
import { TicketsController } from './http/tickets.controller';
import { TicketsModule } from './tickets.module';

@Module({ imports: [TicketsModule], controllers: [TicketsController, AiAssistsController, ...CHANNEL_CONTROLLERS], providers: CHANNEL_HTTP_PROVIDERS })
export class TicketsHttpModule {}
