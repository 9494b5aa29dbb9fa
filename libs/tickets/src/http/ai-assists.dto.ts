import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsISO8601, IsOptional, IsString, IsUUID, MaxLength, MinLength, ArrayUnique } from 'class-validator';
import { PageQueryDto } from '@switchboard/platform';
import { PRIORITIES } from '../domain/ticket';
import { TRIAGE_FIELDS, type TriageField } from '../commands/accept-suggestion/accept-suggestion.command';
import { SUGGESTION_KINDS, SUGGESTION_STATUSES, type SuggestionKind, type SuggestionStatus, type SuggestionView } from '../repositories/suggestions.sql';
import { MessageResponse, TicketResponse, type AssertTrue, type NoExtraKeys } from './dto';

export class SuggestionListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: SUGGESTION_KINDS }) @IsOptional() @IsIn(SUGGESTION_KINDS) kind?: (typeof SUGGESTION_KINDS)[number];
  @ApiPropertyOptional({ enum: SUGGESTION_STATUSES }) @IsOptional() @IsIn(SUGGESTION_STATUSES) status?: (typeof SUGGESTION_STATUSES)[number];
}

export class AcceptSuggestionDto {
  @ApiPropertyOptional({ maxLength: 100000, description: 'draft: the reply as the agent edited it; summary (with asNote): the note text' })
  @IsOptional() @IsString() @MinLength(1) @MaxLength(100000) body?: string;
  @ApiPropertyOptional({ enum: ['public', 'internal'], default: 'public', description: 'draft only: send as a public reply or keep as an internal note' })
  @IsOptional() @IsIn(['public', 'internal']) visibility?: 'public' | 'internal';
  @ApiPropertyOptional({ description: 'summary only: also add the summary to the ticket as an internal note', default: false })
  @IsOptional() @IsBoolean() asNote?: boolean;
  @ApiPropertyOptional({ type: [String], enum: TRIAGE_FIELDS, description: 'triage only: which fields to apply (default: priority, tags, and the group when one was suggested)' })
  @IsOptional() @IsArray() @ArrayUnique() @IsIn(TRIAGE_FIELDS, { each: true }) fields?: TriageField[];
  @ApiPropertyOptional({ enum: PRIORITIES, description: 'triage only: the priority to set instead of the suggested one' })
  @IsOptional() @IsIn(PRIORITIES) priority?: string;
  @ApiPropertyOptional({ type: [String], description: 'triage only: the tags to add instead of the suggested ones' })
  @IsOptional() @IsArray() @ArrayMaxSize(50) @IsString({ each: true }) @MaxLength(60, { each: true }) tags?: string[];
  @ApiPropertyOptional({ format: 'uuid', description: 'triage only: the group to move the ticket to instead of the suggested one' })
  @IsOptional() @IsUUID() groupId?: string;
}

export class RejectSuggestionDto {
  @ApiPropertyOptional({ maxLength: 1000, example: 'Wrong product' }) @IsOptional() @IsString() @MaxLength(1000) reason?: string;
}

export class StatsQueryDto {
  @ApiPropertyOptional({ format: 'date-time', description: 'Default: start of this UTC month' }) @IsOptional() @IsISO8601() from?: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'Default: now; at most 366 days after from' }) @IsOptional() @IsISO8601() to?: string;
}

class ActorRefResponse {
  @ApiProperty({ example: 'user' }) type: string;
  @ApiProperty({ nullable: true, type: String }) id: string | null;
}

export class SuggestionResponse implements SuggestionView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) ticketId: string;
  @ApiProperty({ enum: SUGGESTION_KINDS }) kind: SuggestionKind;
  @ApiProperty({ enum: SUGGESTION_STATUSES, description: 'superseded: a newer one of the same kind replaced it; invalid: the model answer failed validation' }) status: SuggestionStatus;
  @ApiProperty({
    type: Object,
    description:
      'summary: { text }; draft: { body, grounding, passages[] }; triage: { priority: {value, confidence}, tags: [{value, confidence}], group: {value (group id), name, confidence} | null, notes: { group? } }; invalid: { answer, errors[] }',
  })
  output: Record<string, unknown>;
  @ApiProperty({ nullable: true, type: Number, description: 'triage: the priority’s confidence (0–1); null for texts' }) confidence: number | null;
  @ApiProperty() provider: string;
  @ApiProperty() model: string;
  @ApiProperty({ description: 'True when the offline provider produced it (no language model)' }) extractive: boolean;
  @ApiProperty({ description: 'sha256 of the prompt variables' }) inputsHash: string;
  @ApiProperty({ description: 'The ticket version it was made for' }) ticketVersion: number;
  @ApiProperty({ type: ActorRefResponse }) requestedBy: ActorRefResponse;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The metered AI usage row of the answer kept' }) usageId: string | null;
  @ApiProperty({ type: [String], format: 'uuid', description: 'Every metered AI usage row that went into the suggestion, in order: a schema-invalid answer retried once has two, so the suggestion’s spend is their sum' }) usageIds: string[];
  @ApiProperty({ nullable: true, type: String }) requestId: string | null;
  @ApiProperty({ type: ActorRefResponse, nullable: true }) decidedBy: ActorRefResponse | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) decidedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) reason: string | null;
  @ApiProperty({ type: Object, nullable: true, description: 'What accepting did: { messageId, visibility, edited } or { fields, priority, tagsAdded, edited, ticketVersion }' })
  applied: Record<string, unknown> | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

/** Compile-time only: the response has no field the view lacks (`implements` checks the other direction). */
export type SuggestionResponseMatchesView = AssertTrue<NoExtraKeys<SuggestionResponse, SuggestionView>>;

export class SuggestionPageResponse {
  @ApiProperty({ type: [SuggestionResponse] }) data: SuggestionResponse[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class AcceptedSuggestionResponse {
  @ApiProperty({ type: SuggestionResponse }) suggestion: SuggestionResponse;
  @ApiProperty({ type: TicketResponse, nullable: true, description: 'The ticket after a triage was applied' }) ticket: TicketResponse | null;
  @ApiProperty({ type: MessageResponse, nullable: true, description: 'The message a draft (or a summary kept as a note) became' }) message: MessageResponse | null;
}

class KindStatsResponse {
  @ApiProperty({ enum: SUGGESTION_KINDS }) kind: string;
  @ApiProperty() created: number;
  @ApiProperty() accepted: number;
  @ApiProperty({ description: 'Accepted after the agent edited the text or fields' }) acceptedWithEdits: number;
  @ApiProperty() rejected: number;
  @ApiProperty() pending: number;
  @ApiProperty() superseded: number;
  @ApiProperty() invalid: number;
  @ApiProperty({ nullable: true, type: Number, description: 'accepted / (accepted + rejected)' }) acceptanceRate: number | null;
}

export class SuggestionStatsResponse {
  @ApiProperty({ format: 'date-time' }) from: string;
  @ApiProperty({ format: 'date-time' }) to: string;
  @ApiProperty({ type: [KindStatsResponse] }) data: KindStatsResponse[];
}
