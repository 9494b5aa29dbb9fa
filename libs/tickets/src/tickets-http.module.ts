import { Module } from '@nestjs/common';
import { CHANNEL_CONTROLLERS, CHANNEL_HTTP_PROVIDERS } from './channels/channels.providers';
import { AiAssistsController } from './http/ai-assists.controller';
import { GroupsController } from './http/groups.controller';
import { TimeController } from './http/time.controller';
import { CsatController, PublicCsatController } from './http/csat.controller';
import { ChecklistsController } from './http/checklists.controller';
import { TicketsController } from './http/tickets.controller';
import { TicketFieldsController, TicketFormsController } from './http/ticket-fields.controller';
import { TicketsModule } from './tickets.module';
import { ScimGroupsController } from './http/scim-groups.controller';
import { TenancyModule } from '@switchboard/tenancy';

// TenancyModule: the SCIM token guard and SCIM URLs, for ticket groups served as SCIM Groups.
@Module({
  imports: [TicketsModule, TenancyModule],
  controllers: [TicketsController, AiAssistsController, GroupsController, TimeController, ChecklistsController, ScimGroupsController, CsatController, PublicCsatController, TicketFieldsController, TicketFormsController, ...CHANNEL_CONTROLLERS],
  providers: CHANNEL_HTTP_PROVIDERS,
})
export class TicketsHttpModule {}
