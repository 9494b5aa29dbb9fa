import { SLA_STATE_FILTERS, type SlaStateFilter, type TicketSlaState } from '../sla/domain/sla-state';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsDefined,
  IsObject,
  IsArray,
  IsEmail,
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { PageQueryDto } from '@switchboard/platform';
import { CHANNELS, PRIORITIES, STATUSES, TYPES, type Status } from '../domain/ticket';
import type { AttachmentView } from '../repositories/attachments.sql';
import type { MessageView } from '../repositories/messages.sql';
import type { ParticipantRole, ParticipantView } from '../repositories/participants.sql';
import type { HistoryEntry, TicketView } from '../repositories/tickets.sql';

/**
 * Response classes restate their view's fields because swagger reads decorators; each one
 * `implements` its view and is listed in `ResponsesMatchViews` below, so a field added to, removed from or
 * retyped in a view (repositories/*.sql.ts) fails to compile until the response follows.
 */
export type AssertTrue<T extends true> = T;
export type NoExtraKeys<Response, View> = [Exclude<keyof Response, keyof View>] extends [never] ? true : false;

export class RequesterDto {
  @ApiProperty({ example: 'customer@example.com' }) @IsEmail() @MaxLength(254) email: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(200) name?: string;
}

export class CreateTicketDto {
  @ApiProperty({ maxLength: 500, example: 'The boiler makes a knocking noise' }) @IsString() @MinLength(1) @MaxLength(500) subject: string;
  @ApiPropertyOptional({ maxLength: 100000, description: 'Becomes the first public message, from the requester' }) @IsOptional() @IsString() @MinLength(1) @MaxLength(100000) description?: string;
  @ApiPropertyOptional({ enum: PRIORITIES, default: 'normal' }) @IsOptional() @IsIn(PRIORITIES) priority?: string;
  @ApiPropertyOptional({ enum: TYPES, default: 'question' }) @IsOptional() @IsIn(TYPES) type?: string;
  @ApiPropertyOptional({ enum: CHANNELS, default: 'api' }) @IsOptional() @IsIn(CHANNELS) channel?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'A contact of this tenant; or send requester' }) @IsOptional() @IsUUID() requesterId?: string;
  @ApiPropertyOptional({ type: RequesterDto, description: 'Found or created as a contact; or send requesterId' }) @IsOptional() @IsObject() @ValidateNested() @Type(() => RequesterDto) requester?: RequesterDto;
  @ApiPropertyOptional({ format: 'uuid', description: 'An owner, admin or agent of this tenant (a member of the group, when one is given)' }) @IsOptional() @IsUUID() assigneeId?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'A ticket group of this tenant' }) @IsOptional() @IsUUID() groupId?: string;
  @ApiPropertyOptional({ type: [String], example: ['vip', 'billing:refund'] }) @IsOptional() @IsArray() @ArrayMaxSize(50) @IsString({ each: true }) @MaxLength(60, { each: true }) tags?: string[];
  @ApiPropertyOptional({ format: 'date-time' }) @IsOptional() @IsISO8601({ strict: true }) dueAt?: string;
  @ApiPropertyOptional({ maxLength: 200 }) @IsOptional() @IsString() @MaxLength(200) externalId?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'A ticket form of this tenant; without it the default form applies (if there is one)' }) @IsOptional() @IsUUID() formId?: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: { plan: 'gold', seats: 12 }, description: 'Custom field values by field key (GET /v1/ticket-fields); each is checked against its field’s type and options' })
  @IsOptional() @IsObject() fields?: Record<string, unknown>;
}

export class UpdateTicketDto {
  @ApiPropertyOptional({ maxLength: 500 }) @IsOptional() @IsString() @MinLength(1) @MaxLength(500) subject?: string;
  @ApiPropertyOptional({ enum: STATUSES, description: 'The status category; alone, it moves the ticket to that category’s default status' }) @IsOptional() @IsIn(STATUSES) status?: (typeof STATUSES)[number];
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String, description: 'One of the tenant’s active custom statuses (GET /v1/ticket-statuses): its category becomes `status`; null is the category’s default' })
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsUUID() customStatusId?: string | null;
  @ApiPropertyOptional({ enum: PRIORITIES }) @IsOptional() @IsIn(PRIORITIES) priority?: string;
  @ApiPropertyOptional({ enum: TYPES }) @IsOptional() @IsIn(TYPES) type?: string;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String, description: 'null unassigns; in a group, one of its members' }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsUUID() assigneeId?: string | null;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String, description: 'null takes the ticket out of its group; moving it to a group its assignee is not in unassigns it' })
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsUUID() groupId?: string | null;
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @ArrayMaxSize(50) @IsString({ each: true }) @MaxLength(60, { each: true }) tags?: string[];
  @ApiPropertyOptional({ format: 'date-time', nullable: true, type: String }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsISO8601({ strict: true }) dueAt?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsString() @MaxLength(200) externalId?: string | null;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String, description: 'Another ticket form, or null for none; values of fields outside the form are kept' })
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsUUID() formId?: string | null;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: { plan: 'silver', seats: null }, description: 'Custom field values to set by key; null clears one; keys not named keep their values' })
  @IsOptional() @IsObject() fields?: Record<string, unknown>;
}

export class TicketResponse implements TicketView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 1001, description: 'Per-tenant human number' }) number: number;
  @ApiProperty() subject: string;
  @ApiProperty({ enum: STATUSES }) status: Status;
  @ApiProperty({ enum: PRIORITIES }) priority: string;
  @ApiProperty({ enum: TYPES }) type: string;
  @ApiProperty({ enum: CHANNELS }) channel: string;
  @ApiProperty({ format: 'uuid' }) requesterId: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) assigneeId: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The ticket group working it' }) groupId: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The tenant’s custom status (its category is `status`); null: the category’s default' }) customStatusId: string | null;
  @ApiProperty({ type: [String] }) tags: string[];
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) dueAt: string | null;
  @ApiProperty({ nullable: true, type: String }) externalId: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The ticket this one was merged into (it is closed, and its requester’s replies land there)' }) mergedIntoId: string | null;
  @ApiProperty({ type: [String], description: 'The tickets merged into this one, oldest merge first' }) mergedFrom: string[];
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The ticket form its custom fields follow' }) formId: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, example: { plan: 'gold', seats: 12, renewal: '2027-01-31', regions: ['eu', 'us'] }, description: 'Custom field values by key' })
  fields: Record<string, unknown>;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'The next SLA deadline of a running target (in the past when overdue); null when no clock runs' }) slaBreachAt: string | null;
  @ApiProperty({ enum: ['active', 'paused', 'breached'], nullable: true, type: String, description: 'breached: a target is overdue; active: clocks run; paused; null: no SLA applies or every target is met' })
  slaState: TicketSlaState | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty() version: number;
}

export class TicketPageResponse {
  @ApiProperty({ type: [TicketResponse] }) data: TicketResponse[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

const csv = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.split(',').map((s) => s.trim()).filter(Boolean) : value);

export class TicketListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'One status or a comma list', example: 'new,open' })
  @IsOptional() @Transform(csv) @IsArray() @IsIn(STATUSES, { each: true })
  status?: string[];
  @ApiPropertyOptional({ format: 'uuid', description: 'One of the tenant’s custom statuses' }) @IsOptional() @IsUUID() customStatusId?: string;
  @ApiPropertyOptional({ enum: PRIORITIES }) @IsOptional() @IsIn(PRIORITIES) priority?: string;
  @ApiPropertyOptional({ enum: TYPES }) @IsOptional() @IsIn(TYPES) type?: string;
  @ApiPropertyOptional({ enum: CHANNELS }) @IsOptional() @IsIn(CHANNELS) channel?: string;
  @ApiPropertyOptional({ description: 'A member id, or `none` for unassigned tickets', example: 'none' })
  @IsOptional() @ValidateIf((_, v) => v !== 'none') @IsUUID(undefined, { message: 'assigneeId must be a UUID or none' }) assigneeId?: string;
  @ApiPropertyOptional({ description: 'A group id, or `none` for tickets in no group', example: 'none' })
  @IsOptional() @ValidateIf((_, v) => v !== 'none') @IsUUID(undefined, { message: 'groupId must be a UUID or none' }) groupId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() requesterId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(60) tag?: string;
  @ApiPropertyOptional({ description: 'Full text over subject and messages (websearch syntax)' }) @IsOptional() @IsString() @MaxLength(500) q?: string;
  @ApiPropertyOptional({ format: 'date-time' }) @IsOptional() @IsISO8601() createdFrom?: string;
  @ApiPropertyOptional({ format: 'date-time' }) @IsOptional() @IsISO8601() createdTo?: string;
  @ApiPropertyOptional({ format: 'date-time' }) @IsOptional() @IsISO8601() updatedFrom?: string;
  @ApiPropertyOptional({ format: 'date-time' }) @IsOptional() @IsISO8601() updatedTo?: string;
  @ApiPropertyOptional({
    description:
      'A custom field condition `<key>:<op>:<value>`, repeatable (all must hold). Ops: eq, in (values split by `|`), gt, gte, lt, lte (numbers and dates), any and none (no value part). A multi-select matches eq when it holds the option, in when it holds any of them.',
    type: [String],
    example: ['plan:eq:gold', 'seats:gte:10'],
  })
  @IsOptional() @Transform(({ value }) => (typeof value === 'string' ? [value] : value)) @IsArray() @ArrayMaxSize(10) @IsString({ each: true }) @MaxLength(1100, { each: true })
  field?: string[];
  @ApiPropertyOptional({ enum: SLA_STATE_FILTERS, description: 'SLA state: breached (a target overdue), at_risk (past a warning instant, not overdue), active (clocks run, none overdue), paused, none (no clock)' })
  @IsOptional() @IsIn(SLA_STATE_FILTERS) slaState?: SlaStateFilter;
  @ApiPropertyOptional({
    default: 'createdAt',
    description: 'createdAt, updatedAt, slaBreachAt (the next SLA deadline; tickets without one last), or `field:<key>` to sort by a custom field (values in order, tickets without a value last)',
    example: 'field:renewal',
  })
  @IsOptional() @IsString() @Matches(/^(createdAt|updatedAt|slaBreachAt|field:[a-z][a-z0-9_]{0,49})$/, { message: 'sort must be createdAt, updatedAt, slaBreachAt or field:<key>' })
  sort: 'createdAt' | 'updatedAt' | 'slaBreachAt' | `field:${string}` = 'createdAt';
  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'desc' }) @IsOptional() @IsIn(['asc', 'desc']) order: 'asc' | 'desc' = 'desc';
}

export class AddMessageDto {
  @ApiProperty({ maxLength: 100000, description: 'Plain text' }) @IsString() @MinLength(1) @MaxLength(100000) body: string;
  @ApiPropertyOptional({ description: 'Formatted version; stored sanitized' }) @IsOptional() @IsString() @MaxLength(500000) html?: string;
  @ApiPropertyOptional({ enum: ['public', 'internal'], default: 'public' }) @IsOptional() @IsIn(['public', 'internal']) visibility: 'public' | 'internal' = 'public';
  @ApiPropertyOptional({ enum: ['agent', 'requester'], default: 'agent', description: 'requester records a customer reply (it reopens a solved ticket)' })
  @IsOptional() @IsIn(['agent', 'requester']) author: 'agent' | 'requester' = 'agent';
}

export class MessageResponse implements MessageView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) ticketId: string;
  @ApiProperty({ enum: ['public', 'internal'] }) visibility: MessageView['visibility'];
  @ApiProperty({ enum: ['agent', 'contact', 'system'] }) authorType: MessageView['authorType'];
  @ApiProperty({ nullable: true, type: String }) authorId: string | null;
  @ApiProperty() body: string;
  @ApiProperty({ nullable: true, type: String }) html: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class MessagePageResponse {
  @ApiProperty({ type: [MessageResponse] }) data: MessageResponse[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class HistoryEntryResponse implements HistoryEntry {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'ticket.updated' }) action: string;
  @ApiProperty({ type: Object, description: 'field → { from, to }' }) changes: HistoryEntry['changes'];
  @ApiProperty() actorType: string;
  @ApiProperty({ nullable: true, type: String }) actorId: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class HistoryPageResponse {
  @ApiProperty({ type: [HistoryEntryResponse] }) data: HistoryEntryResponse[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}


export class BulkUpdateTicketsDto {
  @ApiProperty({ type: [String], format: 'uuid', minItems: 1, maxItems: 100 })
  @Transform(({ value }) => (Array.isArray(value) ? value.map((id) => (typeof id === 'string' ? id.toLowerCase() : id)) : value)) // so one id in two letter cases is a duplicate
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(100) @ArrayUnique() @IsUUID(undefined, { each: true })
  ids: string[];
  @ApiProperty({ type: UpdateTicketDto }) @IsDefined() @IsObject() @ValidateNested() @Type(() => UpdateTicketDto) changes: UpdateTicketDto;
}

export class TicketListResponse {
  @ApiProperty({ type: [TicketResponse] }) data: TicketResponse[];
}

export class ExportQueryDto {
  @ApiPropertyOptional({ format: 'date-time', description: 'Start of the export (first call); later calls send cursor' }) @IsOptional() @IsISO8601() since?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(512) cursor?: string;
}

export class ExportResponse {
  @ApiProperty({ type: [TicketResponse] }) data: TicketResponse[];
  @ApiProperty({ description: 'Send back as cursor; still valid after endOfStream, to poll for later changes' }) nextCursor: string;
  @ApiProperty({ description: 'True when this page reached the latest change' }) endOfStream: boolean;
}

export class AttachmentResponse implements AttachmentView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) ticketId: string;
  @ApiProperty({ description: 'Cleaned of directories and control characters' }) filename: string;
  @ApiProperty({ description: 'Read from the file’s bytes' }) contentType: string;
  @ApiProperty() size: number;
  @ApiProperty() sha256: string;
  @ApiProperty({ nullable: true, type: String }) uploadedBy: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class AddParticipantDto {
  @ApiProperty({ enum: ['cc', 'follower'], description: 'cc: a contact copied on replies; follower: a member watching the ticket' }) @IsIn(['cc', 'follower']) role: 'cc' | 'follower';
  @ApiProperty({ format: 'uuid', description: 'A contact id for a CC, a user id for a follower' }) @IsUUID() participantId: string;
}

export class ParticipantResponse implements ParticipantView {
  @ApiProperty({ enum: ['cc', 'follower'] }) role: ParticipantRole;
  @ApiProperty({ format: 'uuid' }) participantId: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

/** Compile-time only: each response has no field its view lacks (`implements` checks the other direction). */
export type ResponsesMatchViews = AssertTrue<
  [
    NoExtraKeys<TicketResponse, TicketView>,
    NoExtraKeys<MessageResponse, MessageView>,
    NoExtraKeys<HistoryEntryResponse, HistoryEntry>,
    NoExtraKeys<AttachmentResponse, AttachmentView>,
    NoExtraKeys<ParticipantResponse, ParticipantView>,
  ] extends true[]
    ? true
    : false
>;

export class TicketDeletionResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() number: number;
  @ApiProperty({ format: 'date-time' }) deletedAt: string;
  @ApiProperty({ nullable: true, type: String, description: 'Who deleted it (user or API key id)' }) deletedBy: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'When messages, attachments and history were purged; null while the worker is at it' }) purgedAt: string | null;
}
