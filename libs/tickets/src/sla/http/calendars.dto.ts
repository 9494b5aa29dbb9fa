import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsInt, IsISO8601, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { MAX_HOLIDAYS, MAX_INTERVALS_PER_DAY, type Holiday, type OpeningInterval, type Weekday } from '../domain/business-calendar';
import type { CalendarView } from '../repositories/calendars.sql';

const Trim = () => Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));

export class OpeningIntervalDto implements OpeningInterval {
  @ApiProperty({ example: '09:00', description: 'HH:MM, wall-clock time in the calendar’s zone' }) @IsString() @Matches(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'start must be HH:MM' }) start: string;
  @ApiProperty({ example: '17:00', description: 'HH:MM after start, or 24:00' }) @IsString() @Matches(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, { message: 'end must be HH:MM or 24:00' }) end: string;
}

const day = () => [
  ApiPropertyOptional({ type: [OpeningIntervalDto], maxItems: MAX_INTERVALS_PER_DAY }),
  IsOptional(),
  IsArray(),
  ArrayMaxSize(MAX_INTERVALS_PER_DAY),
  ValidateNested({ each: true }),
  Type(() => OpeningIntervalDto),
];
const apply = (...decorators: PropertyDecorator[]): PropertyDecorator => (target, key) => decorators.forEach((d) => d(target, key));

/** Opening intervals per weekday; a day left out (or empty) is closed. */
export class WeekDto implements Partial<Record<Weekday, OpeningInterval[]>> {
  @apply(...day()) mon?: OpeningIntervalDto[];
  @apply(...day()) tue?: OpeningIntervalDto[];
  @apply(...day()) wed?: OpeningIntervalDto[];
  @apply(...day()) thu?: OpeningIntervalDto[];
  @apply(...day()) fri?: OpeningIntervalDto[];
  @apply(...day()) sat?: OpeningIntervalDto[];
  @apply(...day()) sun?: OpeningIntervalDto[];
}

export class HolidayDto implements Holiday {
  @ApiProperty({ example: '2026-12-25', description: 'A local date in the calendar’s zone' }) @IsString() @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'date must be YYYY-MM-DD' }) date: string;
  @ApiProperty({ example: 'Christmas Day', maxLength: 200 }) @Trim() @IsString() @MinLength(1) @MaxLength(200) name: string;
  @ApiPropertyOptional({ default: false, description: 'Closed on this month and day every year' }) @IsOptional() @IsBoolean() recurring: boolean = false;
}

export class CreateCalendarDto {
  @ApiProperty({ maxLength: 100, example: 'Berlin office' }) @Trim() @IsString() @MinLength(1) @MaxLength(100) name: string;
  @ApiProperty({ example: 'Europe/Berlin', description: 'An IANA time zone' }) @IsString() @MinLength(1) @MaxLength(64) timeZone: string;
  @ApiProperty({ type: WeekDto }) @ValidateNested() @Type(() => WeekDto) week: WeekDto;
  @ApiPropertyOptional({ type: [HolidayDto], maxItems: MAX_HOLIDAYS }) @IsOptional() @IsArray() @ArrayMaxSize(MAX_HOLIDAYS) @ValidateNested({ each: true }) @Type(() => HolidayDto) holidays?: HolidayDto[];
}

export class UpdateCalendarDto {
  @ApiPropertyOptional({ maxLength: 100 }) @IsOptional() @Trim() @IsString() @MinLength(1) @MaxLength(100) name?: string;
  @ApiPropertyOptional({ example: 'Europe/Berlin' }) @IsOptional() @IsString() @MinLength(1) @MaxLength(64) timeZone?: string;
  @ApiPropertyOptional({ type: WeekDto, description: 'Replaces the whole week' }) @IsOptional() @ValidateNested() @Type(() => WeekDto) week?: WeekDto;
  @ApiPropertyOptional({ type: [HolidayDto], description: 'Replaces every holiday' }) @IsOptional() @IsArray() @ArrayMaxSize(MAX_HOLIDAYS) @ValidateNested({ each: true }) @Type(() => HolidayDto) holidays?: HolidayDto[];
}

export class ImportHolidaysDto {
  @ApiProperty({ description: 'An iCalendar feed (RFC 5545), up to 512 KB: all-day events become holidays', example: 'BEGIN:VCALENDAR\r\n…\r\nEND:VCALENDAR' })
  @IsString() @MinLength(1) @MaxLength(512 * 1024) ics: string;
  @ApiPropertyOptional({ default: false, description: 'Replace the calendar’s holidays instead of adding to them' }) @IsOptional() @IsBoolean() replace: boolean = false;
}

export class BusinessTimeQueryDto {
  @ApiProperty({ format: 'date-time' }) @IsISO8601({ strict: true }) from: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'Business minutes from `from` to this instant (at most 400 days later)' }) @IsOptional() @IsISO8601({ strict: true }) to?: string;
  @ApiPropertyOptional({ minimum: 0, maximum: 525600, description: 'The instant this many business minutes after `from`' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(525_600) addMinutes?: number;
}

export class CalendarResponse implements CalendarView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() timeZone: string;
  @ApiProperty({ type: WeekDto }) week: WeekDto;
  @ApiProperty({ type: [HolidayDto] }) holidays: HolidayDto[];
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) deletedAt: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty() version: number;
}

export class CalendarListResponse {
  @ApiProperty({ type: [CalendarResponse] }) data: CalendarResponse[];
}

export class ImportHolidaysResponse {
  @ApiProperty({ type: CalendarResponse }) calendar: CalendarResponse;
  @ApiProperty({ description: 'Holidays read from the feed' }) imported: number;
}

export class BusinessTimeResponse {
  @ApiProperty({ format: 'date-time' }) from: string;
  @ApiProperty() openAtFrom: boolean;
  @ApiPropertyOptional({ format: 'date-time' }) to?: string;
  @ApiPropertyOptional() businessMinutes?: number;
  @ApiPropertyOptional() addMinutes?: number;
  @ApiPropertyOptional({ format: 'date-time' }) due?: string;
}
