import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageQueryDto } from '@switchboard/platform';
import { IsBoolean, IsIn, IsOptional, IsString, IsUUID, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { LEAD_STATUSES, MAX_LEAD_FIELD_LENGTH, MAX_LEAD_NOTES_LENGTH, type LeadExtraction, type LeadFields, type LeadStatus, type LeadSuggestion, type SuggestionField } from '../domain/leads';
import type { LeadView } from '../repositories/leads.sql';
import { Trim } from './dto';

const text = (description: string, example?: string) =>
  applyDecorators(
    ApiPropertyOptional({ maxLength: MAX_LEAD_FIELD_LENGTH, nullable: true, type: String, description, example }),
    IsOptional(),
    ValidateIf((_: unknown, v: unknown) => v !== null),
    IsString(),
    MaxLength(MAX_LEAD_FIELD_LENGTH),
  );

class LeadFieldsDto implements LeadFields {
  @text('The caller’s name', 'Ada Lovelace') name?: string | null;
  @text('International format; a malformed one is a 422', '+44 20 7946 0018') phone?: string | null;
  @text('A malformed one is a 422', 'ada@example.com') email?: string | null;
  @text('Street and number', '12 Analytical Row') street?: string | null;
  @text('City') city?: string | null;
  @text('Region or state') region?: string | null;
  @text('Postal code') postalCode?: string | null;
  @text('Country (ISO code or name)') country?: string | null;
}

export class CaptureLeadDto extends LeadFieldsDto {
  @ApiProperty({ maxLength: MAX_LEAD_NOTES_LENGTH, example: 'Ada Lovelace called, boiler making noises, wants someone this week. 12 Analytical Row, London. +44 20 7946 0018' })
  @Trim() @IsString() @MinLength(1) @MaxLength(MAX_LEAD_NOTES_LENGTH)
  notes: string;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String, description: 'A service of this tenant’s catalog; another is a 422' })
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsUUID()
  serviceId?: string | null;
}

export class ConvertLeadDto extends LeadFieldsDto {
  @ApiPropertyOptional({ maxLength: 100, nullable: true, type: String, description: 'The label of a new address; Home unless given' })
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsString() @MaxLength(100)
  addressLabel?: string | null;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String, description: 'The service requested; a job for it is created unless createJob is false' })
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsUUID()
  serviceId?: string | null;

  @ApiPropertyOptional({ type: Boolean, description: 'Create a job (default: when serviceId is given). A job needs an address.' })
  @IsOptional() @IsBoolean()
  createJob?: boolean;

  @ApiPropertyOptional({ maxLength: 300, nullable: true, type: String, description: 'The job’s title; the service’s name unless given' })
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsString() @MaxLength(300)
  jobTitle?: string | null;
}

export class DismissLeadDto {
  @ApiPropertyOptional({ maxLength: 500, nullable: true, type: String, example: 'Outside our service area' })
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsString() @MaxLength(500)
  reason?: string | null;
}

export class LeadListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: LEAD_STATUSES }) @IsOptional() @IsIn(LEAD_STATUSES) status?: LeadStatus;
}

class LeadSuggestionResponse implements LeadSuggestion {
  @ApiProperty({ enum: ['name', 'phone', 'email', 'street', 'city', 'region', 'postalCode', 'country', 'service'] }) field: SuggestionField;
  @ApiProperty({ description: 'The value read from the notes (for service, the service’s name)' }) value: string;
  @ApiProperty({ minimum: 0, maximum: 1 }) confidence: number;
  @ApiPropertyOptional({ format: 'uuid', description: 'service only: the catalog id' }) serviceId?: string;
}

class LeadExtractionResponse implements LeadExtraction {
  @ApiProperty({ enum: ['ok', 'unavailable', 'invalid'], description: 'unavailable: the provider was down, over budget or not configured; invalid: its answer was out of schema twice. Either way no suggestions, and the lead is otherwise unchanged.' })
  status: LeadExtraction['status'];
  @ApiPropertyOptional({ nullable: true, type: String }) detail: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) provider: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) model: string | null;
}

export class LeadResponse implements LeadView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: LEAD_STATUSES }) status: LeadStatus;
  @ApiProperty() notes: string;
  @ApiProperty({ type: LeadFieldsDto, description: 'What was typed in (at capture), or confirmed (once converted)' }) fields: LeadFieldsDto;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String }) serviceId: string | null;
  @ApiPropertyOptional({ type: [LeadSuggestionResponse], nullable: true, description: 'Null until suggested; never applied by themselves' }) suggestions: LeadSuggestionResponse[] | null;
  @ApiPropertyOptional({ type: LeadExtractionResponse, nullable: true, description: 'Null until suggested' }) extraction: LeadExtractionResponse | null;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String, description: 'Once converted' }) contactId: string | null;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String, description: 'Once converted with an address' }) addressId: string | null;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String, description: 'Once converted with a job' }) jobId: string | null;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String }) createdBy: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String }) convertedBy: string | null;
  @ApiPropertyOptional({ format: 'date-time', nullable: true, type: String }) convertedAt: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) dismissedReason: string | null;
  @ApiProperty() version: number;
}

export class LeadPageResponse {
  @ApiProperty({ type: [LeadResponse] }) data: LeadResponse[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}
