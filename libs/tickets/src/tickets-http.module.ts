import { Module } from '@nestjs/common';
import { CHANNEL_CONTROLLERS, CHANNEL_HTTP_PROVIDERS } from './channels/channels.providers';
import { SLA_CONTROLLERS } from './sla/sla.providers';
import { TRIGGER_CONTROLLERS } from './triggers/triggers.providers';
import { ASSIGNMENT_CONTROLLERS } from './assignment/assignment.providers';
import { AiAssistsController } from './http/ai-assists.controller';
import { GroupsController } from './http/groups.controller';
import { ViewsController } from './http/views.controller';
import { StatusesController } from './http/statuses.controller';
import { TimeController } from './http/time.controller';
import { CsatController, PublicCsatController } from './http/csat.controller';
import { ChecklistsController } from './http/checklists.controller';
import { TicketsController } from './http/tickets.controller';
import { TicketFieldsController, TicketFormsController } from './http/ticket-fields.controller';
import { TicketsModule } from './tickets.module';
import { ScimGroupsController } from './http/scim-groups.controller';
import { TenancyModule } from '@switchboard/tenancy';
import { MacrosController } from './http/macros.controller';
import { TicketMergeController } from './http/ticket-merge.controller';

// TenancyModule: the SCIM token guard and SCIM URLs, for ticket groups served as SCIM Groups.
@Module({
  imports: [TicketsModule, TenancyModule],
  controllers: [TicketsController, AiAssistsController, GroupsController, ViewsController, StatusesController, TimeController, ChecklistsController, ScimGroupsController, CsatController, PublicCsatController, MacrosController, TicketMergeController, TicketFieldsController, TicketFormsController, ...CHANNEL_CONTROLLERS, ...SLA_CONTROLLERS, ...TRIGGER_CONTROLLERS, ...ASSIGNMENT_CONTROLLERS],
  providers: CHANNEL_HTTP_PROVIDERS,
})
export class TicketsHttpModule {}
