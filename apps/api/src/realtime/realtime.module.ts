import { Module } from '@nestjs/common';
import { CONSOLE_PUBLISHER, PushCommittedEventsToConsoles } from '@switchboard/platform';
import { AgentsGateway } from './agents.gateway';
import { EventsController } from './events.controller';
import { VisitorGateway } from './visitor.gateway';

/** The live side: the agent console's `/agents` gateway, committed events pushed to it, the replay endpoint, and the widget's `/visitor` gateway. */
@Module({
  controllers: [EventsController],
  providers: [AgentsGateway, VisitorGateway, { provide: CONSOLE_PUBLISHER, useExisting: AgentsGateway }, PushCommittedEventsToConsoles],
  exports: [AgentsGateway],
})
export class RealtimeModule {}
