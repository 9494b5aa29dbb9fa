import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { PageQueryDto } from '@switchboard/platform';
import { MAX_ENTRY_MINUTES } from '../domain/time-entries';
import { TIME_GROUPINGS, type TimeEntryView, type TimeGrouping, type TimerView, type TimeTotals } from '../repositories/time.sql';
import type { AssertTrue, NoExtraKeys } from './dto';

const ACTIVITY = /^[a-z][a-z0-9_]{0,39}$/;
const activityMessage = { message: 'activityType must be a lower-case name of letters, digits and _ (at most 40), such as phone_call' };
const nullable = ValidateIf((_, v) => v !== null);

export class LogTimeDto {
  @ApiProperty({ minimum: 1, maximum: MAX_ENTRY_MINUTES, example: 25 }) @IsInt() @Min(1) @Max(MAX_ENTRY_MINUTES) minutes: number;
  @ApiPropertyOptional({ default: 'general', example: 'phone_call', description: 'A kind of work, named by the tenant' }) @IsOptional() @IsString() @Matches(ACTIVITY, activityMessage) activityType?: string;
  @ApiPropertyOptional({ default: true }) @IsOptional() @IsBoolean() billable?: boolean;
  @ApiPropertyOptional({ maxLength: 2000, nullable: true, type: String }) @IsOptional() @nullable @IsString() @MaxLength(2000) note?: string | null;
  @ApiPropertyOptional({ format: 'date-time', description: 'When the work happened; default now' }) @IsOptional() @IsISO8601({ strict: true }) workedAt?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'Whose time it is (owners and admins; required for API keys); default the caller' }) @IsOptional() @IsUUID() userId?: string;
}

export class UpdateTimeEntryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_ENTRY_MINUTES }) @IsOptional() @IsInt() @Min(1) @Max(MAX_ENTRY_MINUTES) minutes?: number;
  @ApiPropertyOptional() @IsOptional() @IsString() @Matches(ACTIVITY, activityMessage) activityType?: string;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() billable?: boolean;
  @ApiPropertyOptional({ maxLength: 2000, nullable: true, type: String }) @IsOptional() @nullable @IsString() @MaxLength(2000) note?: string | null;
  @ApiPropertyOptional({ format: 'date-time' }) @IsOptional() @IsISO8601({ strict: true }) workedAt?: string;
}

export class StartTimerDto {
  @ApiPropertyOptional({ default: 'general' }) @IsOptional() @IsString() @Matches(ACTIVITY, activityMessage) activityType?: string;
  @ApiPropertyOptional({ default: true }) @IsOptional() @IsBoolean() billable?: boolean;
  @ApiPropertyOptional({ maxLength: 2000, nullable: true, type: String }) @IsOptional() @nullable @IsString() @MaxLength(2000) note?: string | null;
}

export class StopTimerDto {
  @ApiPropertyOptional({ default: false, description: 'Throw the running time away instead of recording it' }) @IsOptional() @IsBoolean() discard?: boolean;
}

export class TimeTotalsQueryDto {
  @ApiPropertyOptional({ format: 'date-time', description: 'Default: start of this UTC month' }) @IsOptional() @IsISO8601() from?: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'Default: now; at most 366 days after from' }) @IsOptional() @IsISO8601() to?: string;
  @ApiPropertyOptional({ enum: TIME_GROUPINGS, default: 'agent' }) @IsOptional() @IsIn(TIME_GROUPINGS) groupBy: TimeGrouping = 'agent';
  @ApiPropertyOptional({ description: 'One person’s time: a user id or `me` (agents always see their own only)', example: 'me' })
  @IsOptional() @ValidateIf((_, v) => v !== 'me') @IsUUID(undefined, { message: 'userId must be a UUID or me' }) userId?: string;
}

export class TimeEntryResponse implements TimeEntryView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) ticketId: string;
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty() minutes: number;
  @ApiProperty({ example: 'general' }) activityType: string;
  @ApiProperty() billable: boolean;
  @ApiProperty({ nullable: true, type: String }) note: string | null;
  @ApiProperty({ format: 'date-time' }) workedAt: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty() version: number;
}

export class TimeTotalsResponse implements TimeTotals {
  @ApiProperty() minutes: number;
  @ApiProperty() billableMinutes: number;
  @ApiProperty() entries: number;
}

export class TimeEntryPageResponse {
  @ApiProperty({ type: [TimeEntryResponse] }) data: TimeEntryResponse[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
  @ApiProperty({ type: TimeTotalsResponse, description: 'Over every entry of the ticket, not only this page' }) totals: TimeTotalsResponse;
}

export class TimerResponse implements TimerView {
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty({ format: 'uuid' }) ticketId: string;
  @ApiProperty() activityType: string;
  @ApiProperty() billable: boolean;
  @ApiProperty({ nullable: true, type: String }) note: string | null;
  @ApiProperty({ format: 'date-time' }) startedAt: string;
}

export class CurrentTimerResponse {
  @ApiProperty({ type: TimerResponse, nullable: true }) timer: TimerResponse | null;
}

export class StartedTimerResponse {
  @ApiProperty({ type: TimerResponse }) timer: TimerResponse;
  @ApiProperty({ type: TimeEntryResponse, nullable: true, description: 'The entry your previous timer became, if one was running' }) stopped: TimeEntryResponse | null;
}

export class StoppedTimerResponse {
  @ApiProperty({ type: TimerResponse }) timer: TimerResponse;
  @ApiProperty({ type: TimeEntryResponse, nullable: true, description: 'null when discarded' }) entry: TimeEntryResponse | null;
  @ApiProperty({ description: 'The timer ran longer than a day and was recorded as one day' }) capped: boolean;
}

class TimeTotalsRowResponse extends TimeTotalsResponse {
  @ApiProperty({ description: 'The user id, ticket id or activity type' }) key: string;
}

export class TimeTotalsReportResponse {
  @ApiProperty({ format: 'date-time' }) from: string;
  @ApiProperty({ format: 'date-time' }) to: string;
  @ApiProperty({ enum: TIME_GROUPINGS }) groupBy: TimeGrouping;
  @ApiProperty({ type: [TimeTotalsRowResponse] }) data: TimeTotalsRowResponse[];
  @ApiProperty({ type: TimeTotalsResponse }) totals: TimeTotalsResponse;
}

export class TimeEntryPageQueryDto extends PageQueryDto {}

export type TimeResponsesMatchViews = AssertTrue<[NoExtraKeys<TimeEntryResponse, TimeEntryView>, NoExtraKeys<TimerResponse, TimerView>] extends true[] ? true : false>;
