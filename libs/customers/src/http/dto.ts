import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Expose, Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsEmail, IsIn, IsObject, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength, ValidateIf, ValidateNested } from 'class-validator';
import { IsCountryCode, IsLocale, IsTimeZone, PageQueryDto } from '@switchboard/platform';
import { CONTACT_ATTRIBUTE_KEYS, MAX_ATTRIBUTE_VALUE_LENGTH, type ContactAttributeKey } from '../domain/attributes';
import { CHANNELS } from '../domain/identities';

export class ChannelIdentityDto {
  @ApiProperty({ enum: CHANNELS }) @IsIn(CHANNELS) channel: (typeof CHANNELS)[number];
  @ApiProperty({ example: '123456789' }) @IsString() @MinLength(1) @MaxLength(200) externalId: string;
}

class ContactFieldsDto {
  @ApiPropertyOptional({ type: [String], example: ['ada@example.com'], maxItems: 20 })
  @IsOptional() @IsArray() @ArrayMaxSize(20) @IsEmail({}, { each: true }) @MaxLength(254, { each: true })
  @Transform(({ value }) => (Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? v.trim() : v)) : value))
  emails?: string[];

  @ApiPropertyOptional({ type: [String], example: ['+44 20 7946 0018'], maxItems: 20, description: 'International format; stored as E.164' })
  @IsOptional() @IsArray() @ArrayMaxSize(20) @IsString({ each: true }) @MaxLength(40, { each: true })
  phones?: string[];

  @ApiPropertyOptional({ type: [ChannelIdentityDto], maxItems: 20 })
  @IsOptional() @IsArray() @ArrayMaxSize(20) @IsObject({ each: true }) @ValidateNested({ each: true }) @Type(() => ChannelIdentityDto)
  channelIdentities?: ChannelIdentityDto[];

  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String })
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsUUID()
  organizationId?: string | null;

  @ApiPropertyOptional({ example: 'en-GB', nullable: true, type: String })
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsLocale()
  locale?: string | null;

  @ApiPropertyOptional({ example: 'Europe/London', nullable: true, type: String })
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsString() @IsTimeZone()
  timezone?: string | null;

  @ApiPropertyOptional({ nullable: true, type: String, maxLength: 10000 })
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsString() @MaxLength(10000)
  notes?: string | null;
}

export class CreateContactDto extends ContactFieldsDto {
  @ApiProperty({ example: 'Ada Lovelace' }) @IsString() @MinLength(1) @MaxLength(200) name: string;
}

export class UpdateContactDto extends ContactFieldsDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(200) name?: string;
}

export class FindOrCreateContactDto {
  @ApiPropertyOptional() @IsOptional() @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value)) @IsEmail() @MaxLength(254) email?: string;
  @ApiPropertyOptional({ example: '+44 20 7946 0018' }) @IsOptional() @IsString() @MaxLength(40) phone?: string;
  @ApiPropertyOptional({ enum: CHANNELS }) @IsOptional() @IsIn(CHANNELS) channel?: (typeof CHANNELS)[number];
  @ApiPropertyOptional() @ValidateIf((o: FindOrCreateContactDto) => o.channel !== undefined) @IsString() @MinLength(1) @MaxLength(200) externalId?: string;
  @ApiPropertyOptional({ description: 'Used when the contact is created' }) @IsOptional() @IsString() @MinLength(1) @MaxLength(200) name?: string;
}

export class ContactResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: [String] }) emails: string[];
  @ApiProperty({ type: [String] }) phones: string[];
  @ApiProperty({ type: [ChannelIdentityDto] }) channelIdentities: ChannelIdentityDto[];
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) organizationId: string | null;
  @ApiProperty({ nullable: true, type: String }) locale: string | null;
  @ApiProperty({ nullable: true, type: String }) timezone: string | null;
  @ApiProperty({ nullable: true, type: String }) notes: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty() version: number;
}

export class ContactPageResponse {
  @ApiProperty({ type: [ContactResponse] }) data: ContactResponse[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class FoundContactResponse {
  @ApiProperty({ type: ContactResponse }) contact: ContactResponse;
  @ApiProperty() created: boolean;
}

export class ListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Search name, email, phone or chat id (substring)' }) @IsOptional() @IsString() @MaxLength(200) q?: string;
}

export class ContactListQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() organizationId?: string;
  /** `attribute.<key>` query parameters, gathered by key (declared below, one per attribute key). */
  [attribute: `attribute_${string}`]: string | undefined;
}

/** The query parameter of an attribute key and the DTO property it lands on. */
export const attributeParam = (key: ContactAttributeKey) => ({ name: `attribute.${key}`, property: `attribute_${key}` as const });

// One optional `attribute.<key>` parameter per attribute key: a case-insensitive substring of the value.
for (const key of CONTACT_ATTRIBUTE_KEYS) {
  const { name, property } = attributeParam(key);
  const target = ContactListQueryDto.prototype;
  ApiPropertyOptional({ name, type: String, maxLength: MAX_ATTRIBUTE_VALUE_LENGTH, description: `Contacts whose ${key} attribute contains this text (case-insensitive)` })(target, property);
  Expose({ name })(target, property);
  IsOptional()(target, property);
  IsString()(target, property);
  MinLength(1)(target, property);
  MaxLength(MAX_ATTRIBUTE_VALUE_LENGTH)(target, property);
}

class OrganizationExtrasDto {
  @ApiPropertyOptional({ type: [String], example: ['engines.example'] })
  @IsOptional() @IsArray() @ArrayMaxSize(50) @Matches(/^@?[a-z0-9.-]+\.[a-z]{2,}$/i, { each: true, message: 'each domain must look like example.com' })
  domains?: string[];
  @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsString() @MaxLength(10000) notes?: string | null;
}

export class CreateOrganizationDto extends OrganizationExtrasDto {
  @ApiProperty({ example: 'Analytical Engines Ltd' }) @IsString() @MinLength(1) @MaxLength(200) name: string;
}

export class UpdateOrganizationDto extends OrganizationExtrasDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(200) name?: string;
}

export class OrganizationResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: [String] }) domains: string[];
  @ApiProperty({ nullable: true, type: String }) notes: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty() version: number;
}

export class OrganizationPageResponse {
  @ApiProperty({ type: [OrganizationResponse] }) data: OrganizationResponse[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class MergeContactDto {
  @ApiProperty({ format: 'uuid', description: 'The contact folded into this one; it is deleted afterwards' }) @IsUUID() sourceId: string;
}

const upper = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toUpperCase() : value);

class AddressExtrasDto {
  @ApiPropertyOptional({ nullable: true, type: String, maxLength: 300 }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsString() @MaxLength(300) street?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, maxLength: 120 }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsString() @MaxLength(120) city?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, maxLength: 120 }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsString() @MaxLength(120) region?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, maxLength: 20 }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsString() @MaxLength(20) postalCode?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, example: 'GB', description: 'ISO 3166-1 alpha-2' })
  @IsOptional() @ValidateIf((_, v) => v !== null) @Transform(upper) @IsCountryCode()
  country?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, maxLength: 2000, example: 'Gate code 4711; dog in the yard' }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsString() @MaxLength(2000) accessNotes?: string | null;
}

export class CreateAddressDto extends AddressExtrasDto {
  @ApiProperty({ example: 'Home' }) @IsString() @MinLength(1) @MaxLength(100) label: string;
}

export class UpdateAddressDto extends AddressExtrasDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(100) label?: string;
}

export class AddressResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) contactId: string;
  @ApiProperty() label: string;
  @ApiProperty({ nullable: true, type: String }) street: string | null;
  @ApiProperty({ nullable: true, type: String }) city: string | null;
  @ApiProperty({ nullable: true, type: String }) region: string | null;
  @ApiProperty({ nullable: true, type: String }) postalCode: string | null;
  @ApiProperty({ nullable: true, type: String }) country: string | null;
  @ApiProperty({ nullable: true, type: String }) accessNotes: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty() version: number;
}

export class ContactErasureResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) contactId: string;
  @ApiProperty({ enum: ['in_progress', 'completed'] }) status: 'in_progress' | 'completed';
  @ApiProperty({ nullable: true, type: String, description: 'Who asked (user or API key id)' }) requestedBy: string | null;
  @ApiProperty({ format: 'date-time' }) requestedAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) completedAt: string | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'Per context (customers, tickets, field_service, knowledge_base, platform): { completedAt, counts: { <kind>: <rows> } }. A context missing here is still working.',
  })
  steps: Record<string, { completedAt: string; counts: Record<string, number> }>;
}
