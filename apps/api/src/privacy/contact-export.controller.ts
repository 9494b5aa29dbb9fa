import { Controller, Get, Param, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { GetContactQuery, ListAddressesQuery, ListContactAttributesQuery } from '@switchboard/customers';
import { ExportContactFieldServiceQuery } from '@switchboard/field-service';
import { Ctx, ParseUuidPipe, RequirePermission, type CommandContext } from '@switchboard/platform';
import { ExportContactTicketsQuery } from '@switchboard/tickets';
import type { Response } from 'express';

/**
 * An access request's answer (GDPR art. 15): what every context holds about one contact, as one
 * JSON document. It lives in the api app because it spans contexts that may not import each other
 * (customers cannot see tickets); each context answers its own part through its public query.
 */
@ApiTags('Contacts')
@Controller('contacts')
export class ContactExportController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':id/export')
  @RequirePermission('customers:erase')
  @ApiOperation({
    summary: 'Everything stored about a contact, as one JSON download (access requests; owners and admins)',
    description:
      'The contact with its emails, phones and chat ids, addresses and attributes; the tickets they requested with every message (internal notes included, marked by visibility) and attachment metadata, and messages they wrote elsewhere; field-service jobs with visits, line items and notes, leads that became them, and customer messages to them. Read in one go: fine for a person, not for bulk exports.',
  })
  @ApiProduces('application/json')
  @ApiOkResponse({ description: 'The export document ({ exportedAt, contact, addresses, attributes, tickets, fieldService })' })
  async export(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string, @Res({ passthrough: true }) res: Response): Promise<Record<string, unknown>> {
    const contact = await this.queries.execute(new GetContactQuery(ctx.tenantId, id));
    const [addresses, attributes] = [await this.queries.execute(new ListAddressesQuery(ctx.tenantId, id)), await this.queries.execute(new ListContactAttributesQuery(ctx.tenantId, id))];
    const tickets = await this.queries.execute(new ExportContactTicketsQuery(ctx.tenantId, id));
    const fieldService = await this.queries.execute(new ExportContactFieldServiceQuery(ctx.tenantId, id));
    res.setHeader('Content-Disposition', `attachment; filename="contact-${id}.json"`);
    res.setHeader('Cache-Control', 'no-store');
    return { exportedAt: new Date().toISOString(), contact, addresses, attributes, tickets, fieldService };
  }
}
