import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiBody, ApiCreatedResponse, ApiExtraModels, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { type CommandContext, Ctx, etagOf, type Page, parseIfMatch, ParseUuidPipe, RequirePermission } from '@switchboard/platform';
import type { Response } from 'express';
import { CreateContactCommand } from '../commands/create-contact/create-contact.command';
import { DeleteContactCommand } from '../commands/delete-contact/delete-contact.command';
import { FindOrCreateContactCommand, type FoundContact } from '../commands/find-or-create-contact/find-or-create-contact.command';
import { SaveAddressCommand } from '../commands/save-address/save-address.command';
import { ListAddressesQuery } from '../queries/list-addresses/list-addresses.query';
import type { AddressView } from '../repositories/addresses.sql';
import { MergeContactsCommand } from '../commands/merge-contacts/merge-contacts.command';
import { EraseContactCommand } from '../commands/erase-contact/erase-contact.command';
import { GetContactErasureQuery } from '../queries/get-contact-erasure/get-contact-erasure.query';
import type { ErasureView } from '../repositories/contact-erasures.repository';
import { UpdateContactCommand } from '../commands/update-contact/update-contact.command';
import { GetContactQuery } from '../queries/get-contact/get-contact.query';
import { ListContactsQuery } from '../queries/list-contacts/list-contacts.query';
import type { ContactView } from '../repositories/contacts.sql';
import { CONTACT_ATTRIBUTE_KEYS } from '../domain/attributes';
import { attributeParam, AddressResponse, CreateAddressDto, UpdateAddressDto, MergeContactDto, ContactListQueryDto, ContactPageResponse, ContactResponse, ContactErasureResponse, CreateContactDto, FindOrCreateContactDto, FoundContactResponse, UpdateContactDto } from './dto';

const withEtag = (res: Response, contact: ContactView) => {
  res.setHeader('ETag', etagOf(contact.version));
  return contact;
};

@ApiTags('Contacts')
@Controller('contacts')
export class ContactsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @RequirePermission('customers:write')
  @ApiOperation({ summary: 'Create a contact; each email, phone and chat id belongs to one contact' })
  @ApiCreatedResponse({ type: ContactResponse })
  async create(@Ctx() ctx: CommandContext, @Body() body: CreateContactDto, @Res({ passthrough: true }) res: Response): Promise<ContactView> {
    const contact = await this.commands.execute(new CreateContactCommand(ctx, body));
    res.setHeader('Location', `/v1/contacts/${contact.id}`);
    return withEtag(res, contact);
  }

  @Post('find-or-create')
  @RequirePermission('customers:write')
  @ApiOperation({ summary: 'The contact with this email, phone or chat id; created when there is none', description: 'Send exactly one of email, phone, or channel + externalId.' })
  @ApiExtraModels(FindOrCreateContactDto)
  @ApiBody({
    schema: { allOf: [{ $ref: getSchemaPath(FindOrCreateContactDto) }], oneOf: [{ required: ['email'] }, { required: ['phone'] }, { required: ['channel', 'externalId'] }] },
    examples: {
      email: { summary: 'By email', value: { email: 'ada@example.com', name: 'Ada Lovelace' } },
      phone: { summary: 'By phone, international format', value: { phone: '+44 20 7946 0018' } },
      chat: { summary: 'By chat id', value: { channel: 'telegram', externalId: '123456789', name: 'Ada' } },
    },
  })
  @ApiOkResponse({ type: FoundContactResponse, description: 'Found (created: false) or created (created: true)' })
  async findOrCreate(@Ctx() ctx: CommandContext, @Body() body: FindOrCreateContactDto, @Res({ passthrough: true }) res: Response): Promise<FoundContact> {
    const found = await this.commands.execute(new FindOrCreateContactCommand(ctx, body, body.name));
    res.status(found.created ? 201 : 200);
    return found;
  }

  @Get()
  @RequirePermission('customers:read')
  @ApiOperation({ summary: 'List or search contacts, newest first', description: 'attribute.<key>=text (for example attribute.pets=dog) keeps contacts whose attribute contains the text; several combine with AND.' })
  @ApiOkResponse({ type: ContactPageResponse })
  list(@Ctx() ctx: CommandContext, @Query() query: ContactListQueryDto): Promise<Page<ContactView>> {
    const attributes = Object.fromEntries(CONTACT_ATTRIBUTE_KEYS.flatMap((key) => (query[attributeParam(key).property] ? [[key, query[attributeParam(key).property]!]] : [])));
    return this.queries.execute(new ListContactsQuery(ctx.tenantId, { q: query.q, organizationId: query.organizationId, limit: query.limit, cursor: query.cursor, attributes }));
  }

  @Get(':id')
  @RequirePermission('customers:read')
  @ApiOperation({ summary: 'Get a contact' })
  @ApiOkResponse({ type: ContactResponse })
  async get(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string, @Res({ passthrough: true }) res: Response): Promise<ContactView> {
    return withEtag(res, await this.queries.execute(new GetContactQuery(ctx.tenantId, id)));
  }

  @Patch(':id')
  @RequirePermission('customers:write')
  @ApiOperation({ summary: 'Change a contact; lists given replace the old ones' })
  @ApiHeader({ name: 'If-Match', required: false, description: 'ETag from a previous read; a stale one is a 412' })
  @ApiOkResponse({ type: ContactResponse })
  async update(
    @Ctx() ctx: CommandContext,
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: UpdateContactDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ContactView> {
    return withEtag(res, await this.commands.execute(new UpdateContactCommand(ctx, id, body, parseIfMatch(ifMatch))));
  }

  @Post(':id/merge')
  @HttpCode(200)
  @RequirePermission('customers:write')
  @ApiOperation({ summary: 'Merge another contact into this one', description: 'Its emails, phones and chat ids move here, it is deleted, and its tickets follow (through an event, within seconds).' })
  @ApiOkResponse({ type: ContactResponse })
  async merge(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string, @Body() body: MergeContactDto, @Res({ passthrough: true }) res: Response): Promise<ContactView> {
    return withEtag(res, await this.commands.execute(new MergeContactsCommand(ctx, id, body.sourceId)));
  }

  @Delete(':id')
  @RequirePermission('customers:write')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a contact (kept for history; its emails and phones are released)' })
  @ApiNoContentResponse()
  async remove(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string, @Headers('if-match') ifMatch: string | undefined): Promise<void> {
    await this.commands.execute(new DeleteContactCommand(ctx, id, parseIfMatch(ifMatch)));
  }

  @Post(':id/erase')
  @HttpCode(202)
  @RequirePermission('customers:erase')
  @ApiOperation({
    summary: 'Erase a contact for a data-protection request (owners and admins)',
    description:
      'At once: the contact is anonymised ("Erased contact") and its emails, phones, chat ids, addresses and attributes are removed. Then, in the background, every context removes what it holds: messages the contact wrote become a placeholder, their email, phones and name are redacted from subjects, messages, history, AI suggestions, field-service jobs, notes, leads and messages, attachments on their tickets are deleted with their files, and finally outbox payloads, audit entries and stored idempotent responses are redacted. Follow progress at GET /v1/contacts/{id}/erasure. Asking again answers the same erasure.',
  })
  @ApiAcceptedResponse({ type: ContactErasureResponse })
  async erase(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string, @Res({ passthrough: true }) res: Response): Promise<ErasureView> {
    const erasure = await this.commands.execute(new EraseContactCommand(ctx, id));
    res.setHeader('Location', `/v1/contacts/${id}/erasure`);
    return erasure;
  }

  @Get(':id/erasure')
  @RequirePermission('customers:erase')
  @ApiOperation({ summary: 'Progress of a contact’s erasure: per context, when it finished and how many rows of each kind it removed or rewrote' })
  @ApiOkResponse({ type: ContactErasureResponse })
  erasure(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string): Promise<ErasureView> {
    return this.queries.execute(new GetContactErasureQuery(ctx.tenantId, id));
  }

  @Get(':id/addresses')
  @RequirePermission('customers:read')
  @ApiOperation({ summary: 'A contact’s addresses and sites' })
  @ApiOkResponse({ type: [AddressResponse] })
  async addresses(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string): Promise<{ data: AddressView[] }> {
    return { data: await this.queries.execute(new ListAddressesQuery(ctx.tenantId, id)) };
  }

  @Post(':id/addresses')
  @RequirePermission('customers:write')
  @ApiOperation({ summary: 'Add an address or site' })
  @ApiCreatedResponse({ type: AddressResponse })
  async addAddress(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string, @Body() body: CreateAddressDto): Promise<AddressView> {
    return (await this.commands.execute(new SaveAddressCommand(ctx, id, null, body)))!;
  }

  @Patch(':id/addresses/:addressId')
  @RequirePermission('customers:write')
  @ApiOperation({ summary: 'Change an address' })
  @ApiOkResponse({ type: AddressResponse })
  async updateAddress(
    @Ctx() ctx: CommandContext,
    @Param('id', ParseUuidPipe) id: string,
    @Param('addressId', ParseUuidPipe) addressId: string,
    @Body() body: UpdateAddressDto,
  ): Promise<AddressView> {
    return (await this.commands.execute(new SaveAddressCommand(ctx, id, addressId, body)))!;
  }

  @Delete(':id/addresses/:addressId')
  @RequirePermission('customers:write')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove an address' })
  @ApiNoContentResponse()
  async removeAddress(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string, @Param('addressId', ParseUuidPipe) addressId: string): Promise<void> {
    await this.commands.execute(new SaveAddressCommand(ctx, id, addressId, 'remove'));
  }
}
