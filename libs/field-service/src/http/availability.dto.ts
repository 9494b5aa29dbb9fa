import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsISO8601, IsObject, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { IsTimeZone } from '@switchboard/platform';
import type { WeeklyHours } from '../domain/availability';
import type { UnavailabilityView, WorkingHoursView } from '../repositories/availability.sql';
import { Trim } from './dto';

type AssertTrue<T extends true> = T;
type NoExtraKeys<Response, View> = [Exclude<keyof Response, keyof View>] extends [never] ? true : false;

class TimeRangeDto {
  @ApiProperty({ example: '08:00', pattern: '^\\d{2}:\\d{2}$' }) start: string;
  @ApiProperty({ example: '12:00', pattern: '^\\d{2}:\\d{2}$', description: 'After start, up to 24:00' }) end: string;
}

/** Swagger's picture of the weekly pattern; the values are checked by `weeklyHours`. */
class WeekDto {
  @ApiPropertyOptional({ type: [TimeRangeDto] }) mon?: TimeRangeDto[];
  @ApiPropertyOptional({ type: [TimeRangeDto] }) tue?: TimeRangeDto[];
  @ApiPropertyOptional({ type: [TimeRangeDto] }) wed?: TimeRangeDto[];
  @ApiPropertyOptional({ type: [TimeRangeDto] }) thu?: TimeRangeDto[];
  @ApiPropertyOptional({ type: [TimeRangeDto] }) fri?: TimeRangeDto[];
  @ApiPropertyOptional({ type: [TimeRangeDto] }) sat?: TimeRangeDto[];
  @ApiPropertyOptional({ type: [TimeRangeDto] }) sun?: TimeRangeDto[];
}

/** Days are checked by the domain rules (`weeklyHours`), which name the offending range. */
export class SetWorkingHoursDto {
  @ApiPropertyOptional({ example: 'Europe/Berlin', description: 'IANA time zone of the times; the tenant’s when absent' }) @IsOptional() @IsString() @IsTimeZone() timeZone?: string;
  @ApiProperty({
    type: WeekDto,
    example: { mon: [{ start: '08:00', end: '12:00' }, { start: '13:00', end: '17:00' }], sat: [] },
    description: 'Per weekday (mon…sun) the ranges worked, HH:MM wall-clock, end after start (up to 24:00), not overlapping; a day absent or empty is not worked',
  })
  @IsDefined() @IsObject()
  days: Record<string, unknown>;
}

export class WorkingHoursResponse implements WorkingHoursView {
  @ApiProperty({ format: 'uuid' }) technicianId: string;
  @ApiProperty({ example: 'Europe/Berlin' }) timeZone: string;
  @ApiProperty({ type: WeekDto, description: 'Every weekday, ranges sorted' }) weekly: WeeklyHours;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty() version: number;
}

export class AddUnavailabilityDto {
  @ApiProperty({ format: 'date-time' }) @IsISO8601({ strict: true }) start: string;
  @ApiProperty({ format: 'date-time', description: 'After start, at most 366 days later' }) @IsISO8601({ strict: true }) end: string;
  @ApiProperty({ maxLength: 200, example: 'Vacation' }) @Trim() @IsString() @MinLength(1) @MaxLength(200) reason: string;
}

export class UnavailabilityQueryDto {
  @ApiPropertyOptional({ format: 'date-time', description: 'Default: now' }) @IsOptional() @IsISO8601({ strict: true }) from?: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'Default: a year after from' }) @IsOptional() @IsISO8601({ strict: true }) to?: string;
}

export class UnavailabilityResponse implements UnavailabilityView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) technicianId: string;
  @ApiProperty({ format: 'date-time' }) start: string;
  @ApiProperty({ format: 'date-time' }) end: string;
  @ApiProperty() reason: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class AvailabilityResponse {
  @ApiProperty({ format: 'uuid' }) technicianId: string;
  @ApiProperty({ type: WorkingHoursResponse, nullable: true, description: 'null: no working hours set, bookable any time' }) workingHours: WorkingHoursResponse | null;
  @ApiProperty({ type: [UnavailabilityResponse] }) unavailability: UnavailabilityResponse[];
}

export type AvailabilityResponsesMatchViews = AssertTrue<
  [NoExtraKeys<WorkingHoursResponse, WorkingHoursView>, NoExtraKeys<UnavailabilityResponse, UnavailabilityView>] extends true[] ? true : false
>;
