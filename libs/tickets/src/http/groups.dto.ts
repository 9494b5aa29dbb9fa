import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, IsUUID, MaxLength, MinLength, ValidateIf, ValidateNested } from 'class-validator';
import { PageQueryDto } from '@switchboard/platform';
import type { AiAssist, GroupMemberView, GroupView } from '../repositories/groups.sql';
import type { AssertTrue, NoExtraKeys } from './dto';

/** The group's assignment mode as the group resource spells it (null is none). */
const ASSIGNED_MODES = ['round_robin', 'least_loaded'];

/** Trims text before validation, so a name of only spaces fails `MinLength(1)` instead of being stored. */
const Trim = () => Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));
const nullable = ValidateIf((_, v) => v !== null);

export class AiAssistsDto implements Partial<Record<AiAssist, boolean>> {
  @ApiPropertyOptional({ description: 'Ticket summaries (POST /v1/tickets/{id}/ai/summary)' }) @IsOptional() @IsBoolean() summary?: boolean;
  @ApiPropertyOptional({ description: 'Reply drafts (POST /v1/tickets/{id}/ai/draft)' }) @IsOptional() @IsBoolean() draft?: boolean;
  @ApiPropertyOptional({ description: 'Triage: priority, tags and group (POST /v1/tickets/{id}/ai/triage)' }) @IsOptional() @IsBoolean() triage?: boolean;
}

export class CreateGroupDto {
  @ApiProperty({ maxLength: 100, example: 'Billing' }) @Trim() @IsString() @MinLength(1) @MaxLength(100) name: string;
  @ApiPropertyOptional({ maxLength: 2000, nullable: true, type: String, example: 'Invoices, refunds and payment questions' }) @IsOptional() @nullable @IsString() @MaxLength(2000) description?: string | null;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String, description: 'The business calendar the group’s SLA clocks run on (used once business calendars exist)' })
  @IsOptional() @nullable @IsUUID() businessCalendarId?: string | null;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String, description: 'The group’s default SLA policy (used once SLA policies exist)' })
  @IsOptional() @nullable @IsUUID() slaPolicyId?: string | null;
  @ApiPropertyOptional({ type: AiAssistsDto, description: 'Which AI assists the group’s tickets may use; each is on unless switched off' })
  @IsOptional() @ValidateNested() @Type(() => AiAssistsDto) aiAssists?: AiAssistsDto;
  @ApiPropertyOptional({ maxLength: 5000, nullable: true, type: String, description: 'Appended to email replies from the group’s tickets' }) @IsOptional() @nullable @IsString() @MaxLength(5000) emailSignature?: string | null;
  @ApiPropertyOptional({ enum: ASSIGNED_MODES, nullable: true, type: String, example: 'round_robin', description: 'How unassigned tickets of the group find an agent; null for none. Capacities: /v1/groups/{id}/assignment' })
  @IsOptional() @nullable @IsIn(ASSIGNED_MODES, { message: `assignmentPolicy must be one of ${ASSIGNED_MODES.join(', ')} or null` })
  assignmentPolicy?: string | null;
}

export class UpdateGroupDto {
  @ApiPropertyOptional({ maxLength: 100 }) @IsOptional() @Trim() @IsString() @MinLength(1) @MaxLength(100) name?: string;
  @ApiPropertyOptional({ maxLength: 2000, nullable: true, type: String }) @IsOptional() @nullable @IsString() @MaxLength(2000) description?: string | null;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String }) @IsOptional() @nullable @IsUUID() businessCalendarId?: string | null;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String }) @IsOptional() @nullable @IsUUID() slaPolicyId?: string | null;
  @ApiPropertyOptional({ type: AiAssistsDto, description: 'Only the assists named change' }) @IsOptional() @ValidateNested() @Type(() => AiAssistsDto) aiAssists?: AiAssistsDto;
  @ApiPropertyOptional({ maxLength: 5000, nullable: true, type: String }) @IsOptional() @nullable @IsString() @MaxLength(5000) emailSignature?: string | null;
  @ApiPropertyOptional({ enum: ASSIGNED_MODES, nullable: true, type: String })
  @IsOptional() @nullable @IsIn(ASSIGNED_MODES, { message: `assignmentPolicy must be one of ${ASSIGNED_MODES.join(', ')} or null` })
  assignmentPolicy?: string | null;
}

export class GroupListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Only the groups this user is in: a user id, or `me`', example: 'me' })
  @IsOptional() @ValidateIf((_, v) => v !== 'me') @IsUUID(undefined, { message: 'memberId must be a UUID or me' }) memberId?: string;
}

export class AiAssistsResponse implements Record<AiAssist, boolean> {
  @ApiProperty() summary: boolean;
  @ApiProperty() draft: boolean;
  @ApiProperty() triage: boolean;
}

export class GroupResponse implements GroupView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) businessCalendarId: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) slaPolicyId: string | null;
  @ApiProperty({ type: AiAssistsResponse }) aiAssists: AiAssistsResponse;
  @ApiProperty({ nullable: true, type: String }) emailSignature: string | null;
  @ApiProperty({ nullable: true, enum: ASSIGNED_MODES, type: String, description: 'round_robin, least_loaded, or null (none)' }) assignmentPolicy: string | null;
  @ApiProperty() memberCount: number;
  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: 'Always null: deleted groups are not listed' }) deletedAt: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty() version: number;
}

export class GroupPageResponse {
  @ApiProperty({ type: [GroupResponse] }) data: GroupResponse[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class GroupMemberResponse implements GroupMemberView {
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty({ format: 'date-time' }) addedAt: string;
}

export class GroupMemberPageResponse {
  @ApiProperty({ type: [GroupMemberResponse] }) data: GroupMemberResponse[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export type GroupResponsesMatchViews = AssertTrue<[NoExtraKeys<GroupResponse, GroupView>, NoExtraKeys<GroupMemberResponse, GroupMemberView>] extends true[] ? true : false>;
