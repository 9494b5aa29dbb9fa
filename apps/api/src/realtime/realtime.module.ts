import { Module } from '@nestjs/common';
import { CONSOLE_PUBLISHER, PushCommittedEventsToConsoles } from '@switchboard/platform';
import { AgentsGateway } from './agents.gateway';
import { EventsController } from './events.controller';

/** The agent console's live side: the `/agents` gateway, committed events pushed to it, and the replay endpoint. */
@Module({
  controllers: [EventsController],
  providers: [AgentsGateway, { provide: CONSOLE_PUBLISHER, useExisting: AgentsGateway }, PushCommittedEventsToConsoles],
  exports: [AgentsGateway],
})
export class RealtimeModule {}
