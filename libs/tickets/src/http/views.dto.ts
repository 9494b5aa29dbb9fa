import { SLA_STATE_FILTERS, type SlaStateFilter } from '../sla/domain/sla-state';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength, ValidateIf, ValidateNested } from 'class-validator';
import { CHANNELS, PRIORITIES, STATUSES, TYPES } from '../domain/ticket';
import { MAX_COUNTED_VIEWS, VIEW_SCOPES, VIEW_SORT_PATTERN, type ViewFilter, type ViewScope, type ViewSort } from '../domain/views';
import type { ViewView } from '../repositories/views.sql';

const Trim = () => Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));
const nullable = ValidateIf((_, v) => v !== null);
const HOURS = 24 * 366 * 5;

/** What a view selects; every condition is optional and they all apply together. */
export class ViewFilterDto implements ViewFilter {
  @ApiPropertyOptional({ enum: STATUSES, isArray: true, example: ['new', 'open'] })
  @IsOptional() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(STATUSES.length) @IsIn(STATUSES, { each: true }) status?: string[];
  @ApiPropertyOptional({ format: 'uuid', description: 'One of the tenant’s custom statuses' }) @IsOptional() @IsUUID() customStatusId?: string;
  @ApiPropertyOptional({ enum: PRIORITIES }) @IsOptional() @IsIn(PRIORITIES) priority?: string;
  @ApiPropertyOptional({ enum: TYPES }) @IsOptional() @IsIn(TYPES) type?: string;
  @ApiPropertyOptional({ enum: CHANNELS }) @IsOptional() @IsIn(CHANNELS) channel?: string;
  @ApiPropertyOptional({ description: 'A member id, `me` (whoever reads the view) or `none` (unassigned)', example: 'me' })
  @IsOptional() @ValidateIf((_, v) => v !== 'me' && v !== 'none') @IsUUID(undefined, { message: 'filter.assigneeId must be a UUID, me or none' }) assigneeId?: string;
  @ApiPropertyOptional({ description: 'A group id, or `none` for tickets in no group' })
  @IsOptional() @ValidateIf((_, v) => v !== 'none') @IsUUID(undefined, { message: 'filter.groupId must be a UUID or none' }) groupId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() requesterId?: string;
  @ApiPropertyOptional({ maxLength: 60 }) @IsOptional() @IsString() @MinLength(1) @MaxLength(60) tag?: string;
  @ApiPropertyOptional({ format: 'date-time' }) @IsOptional() @IsISO8601() createdFrom?: string;
  @ApiPropertyOptional({ format: 'date-time' }) @IsOptional() @IsISO8601() createdTo?: string;
  @ApiPropertyOptional({ format: 'date-time' }) @IsOptional() @IsISO8601() updatedFrom?: string;
  @ApiPropertyOptional({ format: 'date-time' }) @IsOptional() @IsISO8601() updatedTo?: string;
  @ApiPropertyOptional({ minimum: 1, maximum: HOURS, description: 'Created in the last N hours' }) @IsOptional() @IsInt() @Min(1) @Max(HOURS) createdWithinHours?: number;
  @ApiPropertyOptional({ minimum: 1, maximum: HOURS, description: 'Created more than N hours ago' }) @IsOptional() @IsInt() @Min(1) @Max(HOURS) createdOlderThanHours?: number;
  @ApiPropertyOptional({ minimum: 1, maximum: HOURS, description: 'Changed in the last N hours' }) @IsOptional() @IsInt() @Min(1) @Max(HOURS) updatedWithinHours?: number;
  @ApiPropertyOptional({ minimum: 1, maximum: HOURS, description: 'Not changed for more than N hours' }) @IsOptional() @IsInt() @Min(1) @Max(HOURS) updatedOlderThanHours?: number;
  @ApiPropertyOptional({ type: [String], example: ['plan:eq:gold'], description: 'Custom field conditions as GET /v1/tickets takes them (`<key>:<op>:<value>`), all of which must hold' })
  @IsOptional() @IsArray() @ArrayMaxSize(10) @IsString({ each: true }) @MaxLength(1100, { each: true }) field?: string[];
  @ApiPropertyOptional({ enum: SLA_STATE_FILTERS, description: 'SLA state, as GET /v1/tickets takes it' }) @IsOptional() @IsIn(SLA_STATE_FILTERS) slaState?: SlaStateFilter;
}

export class CreateViewDto {
  @ApiProperty({ maxLength: 100, example: 'My open tickets' }) @Trim() @IsString() @MinLength(1) @MaxLength(100) name: string;
  @ApiPropertyOptional({ enum: VIEW_SCOPES, default: 'personal', description: 'personal: only you; group: the group’s members; shared: every agent. Group and shared views need tickets:configure.' })
  @IsOptional() @IsIn(VIEW_SCOPES) scope?: ViewScope;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String, description: 'For a group view: the group whose members see it' })
  @IsOptional() @nullable @IsUUID() groupId?: string | null;
  @ApiPropertyOptional({ type: ViewFilterDto }) @IsOptional() @ValidateNested() @Type(() => ViewFilterDto) filter?: ViewFilterDto;
  @ApiPropertyOptional({ default: 'createdAt', example: 'updatedAt', description: 'createdAt, updatedAt, slaBreachAt (the next SLA deadline; tickets without one last), or `field:<key>` (a custom field; tickets without a value last)' }) @IsOptional() @IsString() @Matches(VIEW_SORT_PATTERN, { message: 'sort must be createdAt, updatedAt, slaBreachAt or field:<key>' }) sort?: ViewSort;
  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'desc' }) @IsOptional() @IsIn(['asc', 'desc']) order?: 'asc' | 'desc';
  @ApiPropertyOptional({ minimum: 0, maximum: 10000, default: 0, description: 'Sidebar order (then by name)' }) @IsOptional() @IsInt() @Min(0) @Max(10000) position?: number;
}

export class UpdateViewDto {
  @ApiPropertyOptional({ maxLength: 100 }) @IsOptional() @Trim() @IsString() @MinLength(1) @MaxLength(100) name?: string;
  @ApiPropertyOptional({ enum: VIEW_SCOPES }) @IsOptional() @IsIn(VIEW_SCOPES) scope?: ViewScope;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String }) @IsOptional() @nullable @IsUUID() groupId?: string | null;
  @ApiPropertyOptional({ type: ViewFilterDto, description: 'Replaces the whole filter' }) @IsOptional() @ValidateNested() @Type(() => ViewFilterDto) filter?: ViewFilterDto;
  @ApiPropertyOptional({ default: 'createdAt', example: 'updatedAt', description: 'createdAt, updatedAt, slaBreachAt (the next SLA deadline; tickets without one last), or `field:<key>` (a custom field; tickets without a value last)' }) @IsOptional() @IsString() @Matches(VIEW_SORT_PATTERN, { message: 'sort must be createdAt, updatedAt, slaBreachAt or field:<key>' }) sort?: ViewSort;
  @ApiPropertyOptional({ enum: ['asc', 'desc'] }) @IsOptional() @IsIn(['asc', 'desc']) order?: 'asc' | 'desc';
  @ApiPropertyOptional({ minimum: 0, maximum: 10000 }) @IsOptional() @IsInt() @Min(0) @Max(10000) position?: number;
}

const csvIds = ({ value }: { value: unknown }) => (typeof value === 'string' ? [...new Set(value.split(',').map((s) => s.trim()).filter(Boolean))] : value);

export class ViewCountsQueryDto {
  @ApiProperty({ description: `A comma list of up to ${MAX_COUNTED_VIEWS} view ids`, example: '6f1c1c36-55a4-4f43-9d7c-0d1a1e0b9a11' })
  @Transform(csvIds) @IsArray() @ArrayMinSize(1) @ArrayMaxSize(MAX_COUNTED_VIEWS) @IsUUID(undefined, { each: true, message: 'ids must be view ids (UUIDs)' }) ids: string[];
}

export class ViewFilterResponse extends ViewFilterDto {}

export class ViewResponse implements ViewView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: VIEW_SCOPES }) scope: ViewScope;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'A personal view’s owner' }) ownerId: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'A group view’s group' }) groupId: string | null;
  @ApiProperty({ type: ViewFilterResponse }) filter: ViewFilter;
  @ApiProperty({ example: 'createdAt', description: 'createdAt, updatedAt or field:<key>' }) sort: ViewSort;
  @ApiProperty({ enum: ['asc', 'desc'] }) order: 'asc' | 'desc';
  @ApiProperty() position: number;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) createdBy: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty() version: number;
}

export class ViewListResponse {
  @ApiProperty({ type: [ViewResponse] }) data: ViewResponse[];
}

export class ViewCountResponse {
  @ApiProperty({ format: 'uuid' }) viewId: string;
  @ApiProperty({ description: 'Tickets the view holds now, up to the cap' }) count: number;
  @ApiProperty({ description: 'The view holds more than the cap (10,000): show the count as “10,000+”' }) capped: boolean;
}

export class BrokenViewResponse {
  @ApiProperty({ format: 'uuid' }) viewId: string;
  @ApiProperty({ example: 'field plan no longer exists' }) detail: string;
}

export class ViewCountsResponse {
  @ApiProperty({ type: [ViewCountResponse], description: 'In the order asked; views you do not see are left out' }) data: ViewCountResponse[];
  @ApiProperty({ type: [BrokenViewResponse], description: 'Views that cannot be counted now (a custom field they filter by was deleted): edit them' }) broken: BrokenViewResponse[];
  @ApiProperty({ format: 'date-time' }) countedAt: string;
}
