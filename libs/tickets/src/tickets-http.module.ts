import { Module } from '@nestjs/common';
import { TicketsController } from './http/tickets.controller';
import { TicketsModule } from './tickets.module';

@Module({ imports: [TicketsModule], controllers: [TicketsController] })
export class TicketsHttpModule {}
