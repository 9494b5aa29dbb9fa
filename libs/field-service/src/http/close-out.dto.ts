import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CONTACT_ATTRIBUTE_KEYS, MAX_ATTRIBUTE_VALUE_LENGTH } from '@switchboard/customers';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsDefined, IsIn, IsInt, IsISO8601, IsObject, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength, ValidateIf, ValidateNested } from 'class-validator';
import { MAX_CLOSE_OUT_MINUTES, MAX_NOTES_LENGTH, MAX_REACH_OUT_MONTHS, type AttributeAction, type AttributeSuggestion, type ConfirmedAttribute, type ExtractionOutcome } from '../domain/close-out';
import { MAX_VISIT_MINUTES, MIN_VISIT_MINUTES } from '../domain/visit-timing';
import type { CloseOutView, ResolvedNextAction } from '../repositories/close-outs.sql';
import { Trim } from './dto';

const KEYS = `One of ${CONTACT_ATTRIBUTE_KEYS.join(', ')}; any other key is a 422.`;

export class InitiateCloseOutDto {
  @ApiProperty({ minimum: 1, maximum: MAX_CLOSE_OUT_MINUTES, description: 'The time on the job the technician confirms' })
  @IsInt() @Min(1) @Max(MAX_CLOSE_OUT_MINUTES)
  durationMinutes: number;

  @ApiProperty({ maxLength: MAX_NOTES_LENGTH, example: 'Replaced the pump. Friendly dog in the yard; gate code 4512. Customer prefers morning visits.' })
  @Trim() @IsString() @MinLength(1) @MaxLength(MAX_NOTES_LENGTH)
  notes: string;
}

export class AttributeDecisionDto {
  @ApiProperty({ description: KEYS, example: 'pets' }) @Trim() @IsString() @MinLength(1) @MaxLength(60) key: string;
  @ApiProperty({ enum: ['confirm', 'edit', 'drop'], description: 'confirm keeps the suggested value, edit sets value (also for a key nothing was suggested for), drop discards the suggestion' })
  @IsIn(['confirm', 'edit', 'drop'])
  action: AttributeAction;
  @ApiPropertyOptional({ maxLength: MAX_ATTRIBUTE_VALUE_LENGTH, description: 'Required with edit' }) @IsOptional() @IsString() @MaxLength(MAX_ATTRIBUTE_VALUE_LENGTH) value?: string;
}

export class NextActionDto {
  @ApiProperty({ enum: ['schedule_visit', 'reach_out', 'none'] }) @IsIn(['schedule_visit', 'reach_out', 'none']) kind: 'schedule_visit' | 'reach_out' | 'none';
  @ApiPropertyOptional({ format: 'date-time', description: 'schedule_visit: when the next visit starts (not in the past)' }) @IsOptional() @IsISO8601({ strict: true }) start?: string;
  @ApiPropertyOptional({ minimum: MIN_VISIT_MINUTES, maximum: MAX_VISIT_MINUTES, description: 'schedule_visit: its length' })
  @IsOptional() @IsInt() @Min(MIN_VISIT_MINUTES) @Max(MAX_VISIT_MINUTES)
  durationMinutes?: number;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String, description: 'schedule_visit: the technician; defaults to the job’s last technician' })
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsUUID()
  technicianId?: string | null;
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_REACH_OUT_MONTHS, description: 'reach_out: in how many months to reach out' })
  @IsOptional() @IsInt() @Min(1) @Max(MAX_REACH_OUT_MONTHS)
  inMonths?: number;
}

export class FinalizeCloseOutDto {
  @ApiProperty({ type: [AttributeDecisionDto], maxItems: 20, description: 'A suggestion not listed is dropped.' })
  @IsArray() @ArrayMaxSize(20) @ValidateNested({ each: true }) @Type(() => AttributeDecisionDto)
  attributes: AttributeDecisionDto[];

  @ApiProperty({ type: NextActionDto }) @IsDefined() @IsObject() @ValidateNested() @Type(() => NextActionDto) nextAction: NextActionDto;
}

class AttributeSuggestionResponse implements AttributeSuggestion {
  @ApiProperty({ enum: CONTACT_ATTRIBUTE_KEYS }) key: AttributeSuggestion['key'];
  @ApiProperty() value: string;
  @ApiProperty({ minimum: 0, maximum: 1 }) confidence: number;
}

class ConfirmedAttributeResponse implements ConfirmedAttribute {
  @ApiProperty({ enum: CONTACT_ATTRIBUTE_KEYS }) key: ConfirmedAttribute['key'];
  @ApiProperty() value: string;
  @ApiProperty({ enum: ['confirm', 'edit'] }) action: 'confirm' | 'edit';
  @ApiPropertyOptional({ nullable: true, type: String }) aiValue: string | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) aiConfidence: number | null;
}

class ExtractionResponse implements ExtractionOutcome {
  @ApiProperty({ enum: ['ok', 'unavailable', 'invalid'], description: 'unavailable: the provider was down, over budget or not configured; invalid: its answer was out of schema twice. Either way there are no suggestions.' })
  status: ExtractionOutcome['status'];
  @ApiPropertyOptional({ nullable: true, type: String }) detail: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) provider: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) model: string | null;
}

class ResolvedNextActionResponse {
  @ApiProperty({ enum: ['schedule_visit', 'reach_out', 'none'] }) kind: ResolvedNextAction['kind'];
  @ApiPropertyOptional({ format: 'uuid', description: 'schedule_visit: the follow-up job holding the visit' }) jobId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) visitId?: string;
  @ApiPropertyOptional({ format: 'date-time' }) start?: string;
  @ApiPropertyOptional() durationMinutes?: number;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String }) technicianId?: string | null;
  @ApiPropertyOptional() inMonths?: number;
  @ApiPropertyOptional({ format: 'uuid', description: 'reach_out: the pending follow-up' }) followUpId?: string;
  @ApiPropertyOptional({ format: 'date' }) dueOn?: string;
}

export class CloseOutResponse implements Omit<CloseOutView, 'nextAction'> {
  @ApiProperty({ format: 'uuid' }) jobId: string;
  @ApiProperty({ enum: ['awaiting_confirmation', 'finalized'] }) status: CloseOutView['status'];
  @ApiProperty() notes: string;
  @ApiProperty() durationMinutes: number;
  @ApiProperty({ type: ExtractionResponse }) extraction: ExtractionResponse;
  @ApiProperty({ type: [AttributeSuggestionResponse] }) suggestions: AttributeSuggestionResponse[];
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String }) initiatedBy: string | null;
  @ApiProperty({ format: 'date-time' }) initiatedAt: string;
  @ApiPropertyOptional({ type: [ConfirmedAttributeResponse], nullable: true, description: 'Null until finalized' }) confirmed: ConfirmedAttributeResponse[] | null;
  @ApiPropertyOptional({ type: [String], nullable: true, description: 'Suggested keys the technician dropped; null until finalized' }) dropped: string[] | null;
  @ApiPropertyOptional({ type: ResolvedNextActionResponse, nullable: true }) nextAction: ResolvedNextActionResponse | null;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String }) finalizedBy: string | null;
  @ApiPropertyOptional({ format: 'date-time', nullable: true, type: String }) finalizedAt: string | null;
  @ApiProperty() version: number;
}
