import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsISO8601, IsNumber, IsOptional, IsString, IsUrl, IsUUID, Matches, Max, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';
import { PageQueryDto } from '@switchboard/platform';
import type { ChecklistItemView, ChecklistTemplateView, ChecklistView } from '../repositories/checklists.sql';
import { LINK_KINDS, type ExternalLinkView, type LinkKind } from '../repositories/external-links.sql';
import type { AssertTrue, NoExtraKeys } from './dto';

const trimmedItems = Transform(({ value }) => (Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? v.trim() : v)) : value));
const Trim = () => Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));
const nullable = ValidateIf((_, v) => v !== null && v !== undefined);

export class CreateChecklistTemplateDto {
  @ApiProperty({ maxLength: 200, example: 'Boiler service' }) @Trim() @IsString() @MinLength(1) @MaxLength(200) name: string;
  @ApiProperty({ type: [String], minItems: 1, maxItems: 100, example: ['Check the pressure', 'Bleed the radiators'] })
  @trimmedItems @IsArray() @ArrayMinSize(1) @ArrayMaxSize(100) @IsString({ each: true }) @MinLength(1, { each: true }) @MaxLength(500, { each: true })
  items: string[];
}

export class UpdateChecklistTemplateDto {
  @ApiPropertyOptional({ maxLength: 200 }) @IsOptional() @Trim() @IsString() @MinLength(1) @MaxLength(200) name?: string;
  @ApiPropertyOptional({ type: [String], minItems: 1, maxItems: 100, description: 'Replaces the items; checklists already made from the template keep theirs' })
  @IsOptional() @trimmedItems @IsArray() @ArrayMinSize(1) @ArrayMaxSize(100) @IsString({ each: true }) @MinLength(1, { each: true }) @MaxLength(500, { each: true })
  items?: string[];
}

export class AddChecklistDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Copy a template’s name and items (title and items, when given, win)' }) @IsOptional() @IsUUID() templateId?: string;
  @ApiPropertyOptional({ maxLength: 200 }) @IsOptional() @Trim() @IsString() @MinLength(1) @MaxLength(200) title?: string;
  @ApiPropertyOptional({ type: [String], maxItems: 100 })
  @IsOptional() @trimmedItems @IsArray() @ArrayMinSize(1) @ArrayMaxSize(100) @IsString({ each: true }) @MinLength(1, { each: true }) @MaxLength(500, { each: true })
  items?: string[];
}

export class ChangeChecklistItemDto {
  @ApiPropertyOptional({ description: 'Tick (true) or untick (false) the item' }) @IsOptional() @IsBoolean() done?: boolean;
  @ApiPropertyOptional({ maxLength: 500 }) @IsOptional() @Trim() @IsString() @MinLength(1) @MaxLength(500) text?: string;
}

export class AddChecklistItemDto {
  @ApiProperty({ maxLength: 500, example: 'Photograph the flue' }) @Trim() @IsString() @MinLength(1) @MaxLength(500) text: string;
}

export class UpsertExternalLinkDto {
  @ApiProperty({ enum: LINK_KINDS }) @IsIn(LINK_KINDS) kind: LinkKind;
  @ApiProperty({ example: 'jira', description: 'The other system, lower case' }) @IsString() @Matches(/^[a-z][a-z0-9_.-]{0,39}$/, { message: 'system must be a lower-case name (letters, digits, _ . -), at most 40' }) system: string;
  @ApiProperty({ maxLength: 200, example: 'OPS-1432' }) @IsString() @MinLength(1) @MaxLength(200) externalId: string;
  @ApiPropertyOptional({ maxLength: 300, nullable: true, type: String }) @IsOptional() @nullable @IsString() @MaxLength(300) title?: string | null;
  @ApiPropertyOptional({ maxLength: 60, nullable: true, type: String, example: 'in_progress' }) @IsOptional() @nullable @IsString() @MaxLength(60) status?: string | null;
  @ApiPropertyOptional({ maxLength: 2000, nullable: true, type: String }) @IsOptional() @nullable @IsUrl({ protocols: ['https', 'http'], require_protocol: true }) @MaxLength(2000) url?: string | null;
  @ApiPropertyOptional({ format: 'date-time', nullable: true, type: String, description: 'task' }) @IsOptional() @nullable @IsISO8601({ strict: true }) dueAt?: string | null;
  @ApiPropertyOptional({ maxLength: 200, nullable: true, type: String, description: 'task: who works it in the other system' }) @IsOptional() @nullable @IsString() @MaxLength(200) assignee?: string | null;
  @ApiPropertyOptional({ maxLength: 100, nullable: true, type: String, description: 'agent_session: which agent' }) @IsOptional() @nullable @IsString() @MaxLength(100) agentKey?: string | null;
  @ApiPropertyOptional({ maxLength: 500, nullable: true, type: String, description: 'agent_session' }) @IsOptional() @nullable @IsString() @MaxLength(500) purpose?: string | null;
  @ApiPropertyOptional({ maxLength: 2000, nullable: true, type: String, description: 'agent_session' }) @IsOptional() @nullable @IsString() @MaxLength(2000) outcome?: string | null;
  @ApiPropertyOptional({ minimum: 0, maximum: 1, nullable: true, type: Number, description: 'agent_session' }) @IsOptional() @nullable @IsNumber() @Min(0) @Max(1) confidence?: number | null;
}

export class ChecklistItemResponse implements ChecklistItemView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() position: number;
  @ApiProperty() text: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) doneAt: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) doneBy: string | null;
}

export class ChecklistResponse implements ChecklistView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) ticketId: string;
  @ApiProperty() title: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) templateId: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) createdBy: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: [ChecklistItemResponse] }) items: ChecklistItemResponse[];
}

export class ChecklistListResponse {
  @ApiProperty({ type: [ChecklistResponse] }) data: ChecklistResponse[];
}

export class ChecklistTemplateResponse implements ChecklistTemplateView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: [String] }) items: string[];
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty() version: number;
}

export class ChecklistTemplatePageResponse {
  @ApiProperty({ type: [ChecklistTemplateResponse] }) data: ChecklistTemplateResponse[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class ExternalLinkResponse implements ExternalLinkView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) ticketId: string;
  @ApiProperty({ enum: LINK_KINDS }) kind: LinkKind;
  @ApiProperty() system: string;
  @ApiProperty() externalId: string;
  @ApiProperty({ nullable: true, type: String }) title: string | null;
  @ApiProperty({ nullable: true, type: String }) status: string | null;
  @ApiProperty({ nullable: true, type: String }) url: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) dueAt: string | null;
  @ApiProperty({ nullable: true, type: String }) assignee: string | null;
  @ApiProperty({ nullable: true, type: String }) agentKey: string | null;
  @ApiProperty({ nullable: true, type: String }) purpose: string | null;
  @ApiProperty({ nullable: true, type: String }) outcome: string | null;
  @ApiProperty({ nullable: true, type: Number }) confidence: number | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid', description: 'The API key that wrote it last' }) updatedBy: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty() version: number;
}

export class ExternalLinkListResponse {
  @ApiProperty({ type: [ExternalLinkResponse] }) data: ExternalLinkResponse[];
}

export class ChecklistTemplateQueryDto extends PageQueryDto {}

export type ChecklistResponsesMatchViews = AssertTrue<
  [NoExtraKeys<ChecklistResponse, ChecklistView>, NoExtraKeys<ChecklistItemResponse, ChecklistItemView>, NoExtraKeys<ChecklistTemplateResponse, ChecklistTemplateView>, NoExtraKeys<ExternalLinkResponse, ExternalLinkView>] extends true[] ? true : false
>;
