import { Body, Controller, Delete, Get, HttpCode, Param, Put } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { type CommandContext, Ctx, ParseUuidPipe, RequirePermission } from '@switchboard/platform';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { DeleteContactAttributeCommand } from '../commands/delete-contact-attribute/delete-contact-attribute.command';
import { SetContactAttributeCommand } from '../commands/set-contact-attribute/set-contact-attribute.command';
import { CONTACT_ATTRIBUTE_KEYS, MAX_ATTRIBUTE_VALUE_LENGTH } from '../domain/attributes';
import { ListContactAttributesQuery } from '../queries/list-contact-attributes/list-contact-attributes.query';
import type { ContactAttributeView } from '../repositories/contact-attributes.sql';

const KEYS = `One of ${CONTACT_ATTRIBUTE_KEYS.join(', ')}; any other key is a 422.`;

export class SetContactAttributeDto {
  @ApiProperty({ maxLength: MAX_ATTRIBUTE_VALUE_LENGTH, example: 'one friendly dog' }) @IsString() @MinLength(1) @MaxLength(MAX_ATTRIBUTE_VALUE_LENGTH) value: string;
}

class AttributeProvenanceResponse {
  @ApiProperty({ enum: ['close_out', 'manual'] }) source: string;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String, description: 'The field-service job whose close-out suggested or confirmed it' }) jobId: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'What the AI extraction suggested; null when the value was entered by hand' }) aiValue: string | null;
  @ApiPropertyOptional({ nullable: true, type: Number, minimum: 0, maximum: 1 }) aiConfidence: number | null;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String }) confirmedBy: string | null;
  @ApiProperty({ format: 'date-time' }) confirmedAt: string;
}

export class ContactAttributeResponse {
  @ApiProperty({ format: 'uuid' }) contactId: string;
  @ApiProperty({ enum: CONTACT_ATTRIBUTE_KEYS }) key: string;
  @ApiProperty() value: string;
  @ApiProperty({ type: AttributeProvenanceResponse }) provenance: AttributeProvenanceResponse;
  @ApiProperty() version: number;
}

export class ContactAttributeListResponse {
  @ApiProperty({ type: [ContactAttributeResponse] }) data: ContactAttributeResponse[];
}

@ApiTags('Contacts')
@Controller('contacts/:id/attributes')
export class ContactAttributesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @RequirePermission('customers:read')
  @ApiOperation({ summary: 'A contact’s attributes (pets, gate code, access notes, …) with where each value came from' })
  @ApiOkResponse({ type: ContactAttributeListResponse })
  async list(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string): Promise<{ data: ContactAttributeView[] }> {
    return { data: await this.queries.execute(new ListContactAttributesQuery(ctx.tenantId, id)) };
  }

  @Put(':key')
  @RequirePermission('customers:write')
  @ApiOperation({ summary: 'Set one attribute by hand', description: `${KEYS} What the AI once suggested for the key is kept in provenance.` })
  @ApiOkResponse({ type: ContactAttributeResponse })
  set(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string, @Param('key') key: string, @Body() body: SetContactAttributeDto): Promise<ContactAttributeView> {
    return this.commands.execute(new SetContactAttributeCommand(ctx, id, key, body.value));
  }

  @Delete(':key')
  @HttpCode(204)
  @RequirePermission('customers:write')
  @ApiOperation({ summary: 'Remove one attribute', description: `${KEYS} A key without a value: 404.` })
  @ApiNoContentResponse()
  async remove(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string, @Param('key') key: string): Promise<void> {
    await this.commands.execute(new DeleteContactAttributeCommand(ctx, id, key));
  }
}
