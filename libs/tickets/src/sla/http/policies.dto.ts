import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsObject, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength, ValidateIf, ValidateNested } from 'class-validator';
import { CHANNELS, PRIORITIES, STATUSES, TYPES, type Status } from '../../domain/ticket';
import { SLA_METRICS } from '../domain/sla-clock';
import type { PolicyConditions, PolicyTargets } from '../domain/sla-policy';
import type { PolicyView } from '../repositories/policies.sql';

const Trim = () => Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));
const nullable = ValidateIf((_, v) => v !== null);

export class PolicyConditionsDto implements PolicyConditions {
  @ApiPropertyOptional({ enum: PRIORITIES, isArray: true }) @IsOptional() @IsArray() @ArrayMaxSize(4) @IsIn(PRIORITIES, { each: true }) priorities?: string[];
  @ApiPropertyOptional({ type: [String], format: 'uuid' }) @IsOptional() @IsArray() @ArrayMaxSize(50) @IsUUID(undefined, { each: true }) groupIds?: string[];
  @ApiPropertyOptional({ enum: CHANNELS, isArray: true }) @IsOptional() @IsArray() @ArrayMaxSize(CHANNELS.length) @IsIn(CHANNELS, { each: true }) channels?: string[];
  @ApiPropertyOptional({ enum: TYPES, isArray: true }) @IsOptional() @IsArray() @ArrayMaxSize(TYPES.length) @IsIn(TYPES, { each: true }) types?: string[];
  @ApiPropertyOptional({ type: [String], description: 'The ticket has at least one of these tags' }) @IsOptional() @IsArray() @ArrayMaxSize(50) @IsString({ each: true }) @MaxLength(50, { each: true }) tagsAny?: string[];
}

const TARGETS_DOC = {
  type: 'object',
  description: `Per priority (${PRIORITIES.join(', ')}): minutes for each of ${SLA_METRICS.join(', ')} (1 to 525,600)`,
  example: { urgent: { first_reply: 30, resolution: 240 }, normal: { first_reply: 240, next_reply: 480, resolution: 2880 } },
  additionalProperties: { type: 'object', additionalProperties: { type: 'integer', minimum: 1, maximum: 525600 } },
} as const;

export class CreatePolicyDto {
  @ApiProperty({ maxLength: 100, example: 'Premium support' }) @Trim() @IsString() @MinLength(1) @MaxLength(100) name: string;
  @ApiPropertyOptional({ maxLength: 1000, nullable: true, type: String }) @IsOptional() @nullable @IsString() @MaxLength(1000) description?: string | null;
  @ApiPropertyOptional({ minimum: 0, maximum: 10000, default: 0, description: 'Policies are tried in this order; the first whose conditions hold applies' }) @IsOptional() @IsInt() @Min(0) @Max(10000) position?: number;
  @ApiPropertyOptional({ default: true }) @IsOptional() @IsBoolean() active?: boolean;
  @ApiPropertyOptional({ type: PolicyConditionsDto, description: 'Every condition given must hold; none: every ticket' }) @IsOptional() @ValidateNested() @Type(() => PolicyConditionsDto) conditions?: PolicyConditionsDto;
  @ApiProperty(TARGETS_DOC) @IsObject() targets: PolicyTargets;
  @ApiPropertyOptional({ default: true, description: 'Count business time (the policy’s calendar, else the ticket group’s) or every minute' }) @IsOptional() @IsBoolean() businessHours?: boolean;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String, description: 'A business calendar; null: the ticket group’s' }) @IsOptional() @nullable @IsUUID() calendarId?: string | null;
  @ApiPropertyOptional({ enum: ['pending', 'on_hold'], isArray: true, default: ['pending', 'on_hold'], description: 'Statuses that pause the clocks ([] for none)' })
  @IsOptional() @IsArray() @ArrayMaxSize(2) @IsIn(STATUSES, { each: true }) pauseStatuses?: Status[];
  @ApiPropertyOptional({ minimum: 1, maximum: 525600, nullable: true, type: Number, description: 'Warn this many minutes before each deadline (in the policy’s business or calendar time, so never in a closed period); null: no warning' })
  @IsOptional() @nullable @IsInt() @Min(1) @Max(525600) warningMinutes?: number | null;
}

export class UpdatePolicyDto {
  @ApiPropertyOptional({ maxLength: 100 }) @IsOptional() @Trim() @IsString() @MinLength(1) @MaxLength(100) name?: string;
  @ApiPropertyOptional({ maxLength: 1000, nullable: true, type: String }) @IsOptional() @nullable @IsString() @MaxLength(1000) description?: string | null;
  @ApiPropertyOptional({ minimum: 0, maximum: 10000 }) @IsOptional() @IsInt() @Min(0) @Max(10000) position?: number;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() active?: boolean;
  @ApiPropertyOptional({ type: PolicyConditionsDto, description: 'Replaces the conditions' }) @IsOptional() @ValidateNested() @Type(() => PolicyConditionsDto) conditions?: PolicyConditionsDto;
  @ApiPropertyOptional({ ...TARGETS_DOC, description: `Replaces the targets. ${TARGETS_DOC.description}` }) @IsOptional() @IsObject() targets?: PolicyTargets;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() businessHours?: boolean;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String }) @IsOptional() @nullable @IsUUID() calendarId?: string | null;
  @ApiPropertyOptional({ enum: ['pending', 'on_hold'], isArray: true }) @IsOptional() @IsArray() @ArrayMaxSize(2) @IsIn(STATUSES, { each: true }) pauseStatuses?: Status[];
  @ApiPropertyOptional({ minimum: 1, maximum: 525600, nullable: true, type: Number }) @IsOptional() @nullable @IsInt() @Min(1) @Max(525600) warningMinutes?: number | null;
}

export class PolicyResponse implements PolicyView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty() position: number;
  @ApiProperty() active: boolean;
  @ApiProperty({ type: PolicyConditionsDto }) conditions: PolicyConditionsDto;
  @ApiProperty(TARGETS_DOC) targets: PolicyTargets;
  @ApiProperty() businessHours: boolean;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) calendarId: string | null;
  @ApiProperty({ enum: STATUSES, isArray: true }) pauseStatuses: Status[];
  @ApiProperty({ nullable: true, type: Number }) warningMinutes: number | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty() version: number;
}

export class PolicyListResponse {
  @ApiProperty({ type: [PolicyResponse] }) data: PolicyResponse[];
}

class PausedIntervalResponse {
  @ApiProperty({ format: 'date-time' }) from: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) to: string | null;
}
class TargetResponse {
  @ApiProperty({ enum: SLA_METRICS }) metric: string;
  @ApiProperty() targetMinutes: number;
  @ApiProperty({ enum: ['active', 'paused', 'fulfilled', 'breached'] }) state: string;
  @ApiProperty({ format: 'date-time' }) startedAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) deadline: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) fulfilledAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) breachedAt: string | null;
  @ApiProperty() elapsedMinutes: number;
  @ApiProperty({ type: [PausedIntervalResponse] }) paused: PausedIntervalResponse[];
}
class PolicyRefResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiPropertyOptional() name?: string;
  @ApiProperty() version: number;
}
class MetricEventResponse {
  @ApiProperty({ enum: SLA_METRICS }) metric: string;
  @ApiProperty({ enum: ['activated', 'paused', 'resumed', 'fulfilled', 'breached', 'policy_changed'] }) type: string;
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty() elapsedMinutes: number;
  @ApiProperty({ description: 'Stored as a metric event (what reporting reads); false: replayed from the history, not recorded yet' }) recorded: boolean;
  @ApiProperty({ type: PolicyRefResponse, nullable: true, description: 'The policy (and version) a recorded event was counted under' }) policy: { id: string; version: number } | null;
}
class CalendarRefResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() timeZone: string;
}
export class TicketSlaResponse {
  @ApiProperty({ format: 'uuid' }) ticketId: string;
  @ApiProperty({ type: PolicyRefResponse, nullable: true }) policy: PolicyRefResponse | null;
  @ApiProperty() priority: string;
  @ApiProperty({ enum: ['business', 'calendar'] }) timeMode: string;
  @ApiProperty({ type: CalendarRefResponse, nullable: true }) calendar: CalendarRefResponse | null;
  @ApiProperty({ nullable: true, type: String }) note: string | null;
  @ApiProperty({ type: [TargetResponse] }) targets: TargetResponse[];
  @ApiProperty({ type: [MetricEventResponse] }) events: MetricEventResponse[];
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) nextBreachAt: string | null;
  @ApiProperty({ format: 'date-time' }) evaluatedAt: string;
}
