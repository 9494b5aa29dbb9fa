import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsISO8601, IsNumber, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';
import { IsCurrencyCode, IsTimeZone, PageQueryDto } from '@switchboard/platform';
import { MAX_QUANTITY, MAX_TAX_RATE_BP, MAX_UNIT_PRICE, PRICING_TYPES, type PricingType } from '../domain/pricing';
import { JOB_STATUSES, VISIT_STATUSES, type JobStatus, type VisitStatus } from '../domain/status';
import { MAX_VISIT_MINUTES, MIN_VISIT_MINUTES } from '../domain/visit-timing';
import type { JobDetail } from '../repositories/job-detail.reader';
import type { HistoryEntry, JobListItem, JobView, NoteView } from '../repositories/jobs.sql';
import type { LineItemView } from '../repositories/line-items.sql';
import type { ServiceView } from '../repositories/services.sql';
import type { VisitView } from '../repositories/visits.sql';

/** Trims text before validation, so a value of only spaces fails `MinLength(1)` instead of being stored. */
export const Trim = () => Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));

/**
 * Response classes restate their view's fields because swagger reads decorators; each one
 * `implements` its view and is listed in `ResponsesMatchViews`, so a view change that the
 * response does not follow fails to compile.
 */
type AssertTrue<T extends true> = T;
type NoExtraKeys<Response, View> = [Exclude<keyof Response, keyof View>] extends [never] ? true : false;

const bool = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export class CreateServiceDto {
  @ApiProperty({ maxLength: 200, example: 'Window cleaning' }) @Trim() @IsString() @MinLength(1) @MaxLength(200) name: string;
  @ApiPropertyOptional({ maxLength: 2000, nullable: true, type: String }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsString() @MaxLength(2000) description?: string | null;
  @ApiProperty({ enum: PRICING_TYPES, description: 'fixed: default price; flexible: price set on the job; per_unit: unit price and unit label' })
  @IsIn(PRICING_TYPES)
  pricingType: PricingType;
  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 0, maximum: MAX_UNIT_PRICE, description: 'Minor units (cents); required for fixed and per_unit, absent for flexible' })
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsInt() @Min(0) @Max(MAX_UNIT_PRICE)
  unitPrice?: number | null;
  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 40, example: 'window', description: 'per_unit only' })
  @IsOptional() @ValidateIf((_, v) => v !== null) @Trim() @IsString() @MinLength(1) @MaxLength(40)
  unitLabel?: string | null;
  @ApiProperty({ example: 'EUR', description: 'ISO 4217 code; tenants have no currency setting, so each service carries its own' }) @IsString() @IsCurrencyCode() currency: string;
  @ApiPropertyOptional({ minimum: 0, maximum: MAX_TAX_RATE_BP, default: 0, description: 'Basis points: 1900 is 19 %' }) @IsOptional() @IsInt() @Min(0) @Max(MAX_TAX_RATE_BP) taxRateBp?: number;
  @ApiPropertyOptional({ minimum: MIN_VISIT_MINUTES, maximum: MAX_VISIT_MINUTES, default: 60 }) @IsOptional() @IsInt() @Min(MIN_VISIT_MINUTES) @Max(MAX_VISIT_MINUTES) defaultDurationMinutes?: number;
  @ApiPropertyOptional({ default: true }) @IsOptional() @IsBoolean() active?: boolean;
}

export class UpdateServiceDto {
  @ApiPropertyOptional({ maxLength: 200 }) @IsOptional() @Trim() @IsString() @MinLength(1) @MaxLength(200) name?: string;
  @ApiPropertyOptional({ maxLength: 2000, nullable: true, type: String }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsString() @MaxLength(2000) description?: string | null;
  @ApiPropertyOptional({ enum: PRICING_TYPES }) @IsOptional() @IsIn(PRICING_TYPES) pricingType?: PricingType;
  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 0, maximum: MAX_UNIT_PRICE }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsInt() @Min(0) @Max(MAX_UNIT_PRICE) unitPrice?: number | null;
  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 40 }) @IsOptional() @ValidateIf((_, v) => v !== null) @Trim() @IsString() @MinLength(1) @MaxLength(40) unitLabel?: string | null;
  @ApiPropertyOptional({ example: 'EUR' }) @IsOptional() @IsString() @IsCurrencyCode() currency?: string;
  @ApiPropertyOptional({ minimum: 0, maximum: MAX_TAX_RATE_BP }) @IsOptional() @IsInt() @Min(0) @Max(MAX_TAX_RATE_BP) taxRateBp?: number;
  @ApiPropertyOptional({ minimum: MIN_VISIT_MINUTES, maximum: MAX_VISIT_MINUTES }) @IsOptional() @IsInt() @Min(MIN_VISIT_MINUTES) @Max(MAX_VISIT_MINUTES) defaultDurationMinutes?: number;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() active?: boolean;
}

export class ServiceListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ type: Boolean, description: 'Only active (true) or inactive (false) services' }) @IsOptional() @Transform(bool) @IsBoolean() active?: boolean;
}

export class ServiceResponse implements ServiceView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty({ enum: PRICING_TYPES }) pricingType: PricingType;
  @ApiProperty({ nullable: true, type: Number, description: 'Minor units' }) unitPrice: number | null;
  @ApiProperty({ nullable: true, type: String }) unitLabel: string | null;
  @ApiProperty({ example: 'EUR' }) currency: string;
  @ApiProperty({ description: 'Basis points' }) taxRateBp: number;
  @ApiProperty() defaultDurationMinutes: number;
  @ApiProperty() active: boolean;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) deletedAt: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty() version: number;
}

export class ServicePageResponse {
  @ApiProperty({ type: [ServiceResponse] }) data: ServiceResponse[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class CreateJobDto {
  @ApiProperty({ format: 'uuid', description: 'A contact of this tenant' }) @IsUUID() contactId: string;
  @ApiProperty({ format: 'uuid', description: 'One of the contact’s addresses' }) @IsUUID() addressId: string;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String, description: 'The ticket the job came from' }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsUUID() ticketId?: string | null;
  @ApiProperty({ maxLength: 300, example: 'Boiler service' }) @Trim() @IsString() @MinLength(1) @MaxLength(300) title: string;
  @ApiPropertyOptional({ maxLength: 10000, nullable: true, type: String }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsString() @MaxLength(10000) description?: string | null;
}

export class JobListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: JOB_STATUSES }) @IsOptional() @IsIn(JOB_STATUSES) status?: JobStatus;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() contactId?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'Only the jobs created from this ticket (another tenant’s ticket: an empty list)' }) @IsOptional() @IsUUID() ticketId?: string;
}

class ArrivalWindowFields {
  @ApiPropertyOptional({ format: 'date-time', nullable: true, type: String, description: 'With arrivalWindowEnd: when the technician may arrive; contains scheduledStart' })
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsISO8601({ strict: true })
  arrivalWindowStart?: string | null;
  @ApiPropertyOptional({ format: 'date-time', nullable: true, type: String }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsISO8601({ strict: true }) arrivalWindowEnd?: string | null;
}

export class ScheduleVisitDto extends ArrivalWindowFields {
  @ApiProperty({ format: 'date-time', description: 'Not in the past' }) @IsISO8601({ strict: true }) scheduledStart: string;
  @ApiProperty({ minimum: MIN_VISIT_MINUTES, maximum: MAX_VISIT_MINUTES }) @IsInt() @Min(MIN_VISIT_MINUTES) @Max(MAX_VISIT_MINUTES) durationMinutes: number;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String, description: 'A member with the technician role, free for the whole visit' })
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsUUID()
  technicianId?: string | null;
}

export class RescheduleVisitDto extends ArrivalWindowFields {
  @ApiProperty({ format: 'date-time', description: 'Not in the past' }) @IsISO8601({ strict: true }) scheduledStart: string;
  @ApiPropertyOptional({ minimum: MIN_VISIT_MINUTES, maximum: MAX_VISIT_MINUTES, description: 'Keeps the current length when absent' })
  @IsOptional() @IsInt() @Min(MIN_VISIT_MINUTES) @Max(MAX_VISIT_MINUTES)
  durationMinutes?: number;
}

export class AssignVisitDto {
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'A technician of this tenant; null unassigns' })
  @ValidateIf((_, v) => v !== null) @IsUUID()
  technicianId: string | null;
}

export class AddLineItemDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'A catalog service; without it, the line is free text (description and unitPrice required)' }) @IsOptional() @IsUUID() serviceId?: string;
  @ApiPropertyOptional({ maxLength: 500, description: 'Defaults to the service’s name' }) @IsOptional() @Trim() @IsString() @MinLength(1) @MaxLength(500) description?: string;
  @ApiPropertyOptional({ minimum: 0.001, maximum: MAX_QUANTITY, default: 1, description: 'At most three decimals' })
  @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 3 }) @Min(0.001) @Max(MAX_QUANTITY)
  quantity?: number;
  @ApiPropertyOptional({ minimum: 0, maximum: MAX_UNIT_PRICE, description: 'Minor units; for flexible services and free text only' }) @IsOptional() @IsInt() @Min(0) @Max(MAX_UNIT_PRICE) unitPrice?: number;
  @ApiPropertyOptional({ maxLength: 40, description: 'Free text only' }) @IsOptional() @Trim() @IsString() @MinLength(1) @MaxLength(40) unitLabel?: string;
  @ApiPropertyOptional({ minimum: 0, maximum: MAX_TAX_RATE_BP, description: 'Free text only (basis points)' }) @IsOptional() @IsInt() @Min(0) @Max(MAX_TAX_RATE_BP) taxRateBp?: number;
  @ApiPropertyOptional({ example: 'EUR', description: 'Must be the job’s currency once it has one' }) @IsOptional() @IsString() @IsCurrencyCode() currency?: string;
}

export class AddNoteDto {
  @ApiProperty({ maxLength: 10000 }) @Trim() @IsString() @MinLength(1) @MaxLength(10000) body: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class DispatchQueryDto {
  @ApiProperty({ format: 'date-time', description: 'Start of the span (inclusive)' }) @IsISO8601({ strict: true }) from: string;
  @ApiProperty({ format: 'date-time', description: 'End of the span (exclusive), at most 31 days after from' }) @IsISO8601({ strict: true }) to: string;
  @ApiPropertyOptional({ default: 'UTC', example: 'Europe/Berlin', description: 'IANA time zone the days are cut in' }) @IsOptional() @IsString() @IsTimeZone() tz?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'One technician only' }) @IsOptional() @IsUUID() technicianId?: string;
}

export class MyVisitsQueryDto {
  @ApiProperty({ example: '2026-12-24', description: 'The day, in tz' }) @IsString() @Matches(DATE, { message: 'date must be YYYY-MM-DD' }) @IsISO8601({ strict: true }) date: string;
  @ApiPropertyOptional({ default: 'UTC', example: 'Europe/Berlin' }) @IsOptional() @IsString() @IsTimeZone() tz?: string;
}

export class VisitResponse implements VisitView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) jobId: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) technicianId: string | null;
  @ApiProperty({ enum: VISIT_STATUSES }) status: VisitStatus;
  @ApiProperty({ format: 'date-time' }) scheduledStart: string;
  @ApiProperty({ format: 'date-time' }) scheduledEnd: string;
  @ApiProperty() durationMinutes: number;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) arrivalWindowStart: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) arrivalWindowEnd: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) clockedInAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) clockedOutAt: string | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Minutes between clock-in and clock-out' }) actualMinutes: number | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty() version: number;
}

export class LineItemResponse implements LineItemView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) jobId: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) serviceId: string | null;
  @ApiProperty() description: string;
  @ApiProperty() quantity: number;
  @ApiProperty({ description: 'Minor units' }) unitPrice: number;
  @ApiProperty({ nullable: true, type: String }) unitLabel: string | null;
  @ApiProperty() taxRateBp: number;
  @ApiProperty() currency: string;
  @ApiProperty({ description: 'quantity × unitPrice, rounded half up, minor units' }) subtotal: number;
  @ApiProperty() tax: number;
  @ApiProperty() total: number;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) createdBy: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class NoteResponse implements NoteView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) jobId: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) authorId: string | null;
  @ApiProperty() body: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class TotalsResponse {
  @ApiProperty({ nullable: true, type: String }) currency: string | null;
  @ApiProperty() subtotal: number;
  @ApiProperty() tax: number;
  @ApiProperty() total: number;
}

export class JobResponse implements JobView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) contactId: string;
  @ApiProperty({ format: 'uuid' }) addressId: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) ticketId: string | null;
  @ApiProperty() title: string;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty({ enum: JOB_STATUSES }) status: JobStatus;
  @ApiProperty({ nullable: true, type: String, description: 'Set by the first line item' }) currency: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) completedAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) cancelledAt: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty() version: number;
}

export class JobDetailResponse extends JobResponse implements JobDetail {
  @ApiProperty({ type: [VisitResponse] }) visits: VisitResponse[];
  @ApiProperty({ type: [LineItemResponse] }) lineItems: LineItemResponse[];
  @ApiProperty({ type: [NoteResponse] }) notes: NoteResponse[];
  @ApiProperty({ type: TotalsResponse }) totals: TotalsResponse;
}

export class JobListItemResponse extends JobResponse implements JobListItem {
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'When the earliest visit not started (nor cancelled) begins; null when none is planned' })
  nextVisitAt: string | null;
}

export class JobPageResponse {
  @ApiProperty({ type: [JobListItemResponse] }) data: JobListItemResponse[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class JobHistoryEntryResponse implements HistoryEntry {
  @ApiProperty() id: number;
  @ApiProperty({ format: 'uuid' }) jobId: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) visitId: string | null;
  @ApiProperty({ example: 'visit.rescheduled' }) action: string;
  @ApiProperty({ type: 'object', additionalProperties: true, example: { scheduledStart: { from: '2026-12-01T09:00:00.000Z', to: '2026-12-02T09:00:00.000Z' } } })
  changes: Record<string, { from?: unknown; to?: unknown }>;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) actorId: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class JobHistoryPageResponse {
  @ApiProperty({ type: [JobHistoryEntryResponse] }) data: JobHistoryEntryResponse[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

class DispatchJobResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() title: string;
  @ApiProperty({ enum: JOB_STATUSES }) status: JobStatus;
  @ApiProperty({ format: 'uuid' }) contactId: string;
  @ApiProperty({ format: 'uuid' }) addressId: string;
}

export class DispatchVisitResponse extends VisitResponse {
  @ApiProperty({ type: DispatchJobResponse }) job: DispatchJobResponse;
}

class GapResponse {
  @ApiProperty({ format: 'date-time' }) start: string;
  @ApiProperty({ format: 'date-time' }) end: string;
}

class DispatchTechnicianResponse {
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'null: unassigned (listed first)' }) technicianId: string | null;
  @ApiProperty({ type: [DispatchVisitResponse] }) visits: DispatchVisitResponse[];
  @ApiProperty({
    type: [GapResponse],
    nullable: true,
    description: 'Free time within the technician’s working hours that day, minus visits and unavailability (travel not counted); null without working hours (bookable any time) and for unassigned visits',
  })
  gaps: GapResponse[] | null;
}

class DispatchDayResponse {
  @ApiProperty({ example: '2026-12-24' }) date: string;
  @ApiProperty({ type: [DispatchTechnicianResponse] }) technicians: DispatchTechnicianResponse[];
}

export class DispatchBoardResponse {
  @ApiProperty({ format: 'date-time' }) from: string;
  @ApiProperty({ format: 'date-time' }) to: string;
  @ApiProperty() timeZone: string;
  @ApiProperty({ type: [DispatchDayResponse] }) days: DispatchDayResponse[];
}

export class MyVisitsResponse {
  @ApiProperty({ example: '2026-12-24' }) date: string;
  @ApiProperty() timeZone: string;
  @ApiProperty({ type: [DispatchVisitResponse] }) data: DispatchVisitResponse[];
}

export type ResponsesMatchViews = AssertTrue<
  [
    NoExtraKeys<ServiceResponse, ServiceView>,
    NoExtraKeys<JobResponse, JobView>,
    NoExtraKeys<JobListItemResponse, JobListItem>,
    NoExtraKeys<JobDetailResponse, JobDetail>,
    NoExtraKeys<VisitResponse, VisitView>,
    NoExtraKeys<LineItemResponse, LineItemView>,
    NoExtraKeys<NoteResponse, NoteView>,
    NoExtraKeys<JobHistoryEntryResponse, HistoryEntry>,
  ] extends true[]
    ? true
    : false
>;
