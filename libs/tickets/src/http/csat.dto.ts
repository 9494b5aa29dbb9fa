import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsIn, IsISO8601, IsOptional, IsString, IsUUID, MaxLength, ValidateIf } from 'class-validator';
import { PageQueryDto } from '@switchboard/platform';
import { CSAT_COMMENT_MAX, CSAT_SCALES, type CsatRating, type CsatScale } from '../domain/csat';
import type { CsatTotals, CsatView } from '../repositories/csat.repository';
import type { CsatSurvey } from '../queries/get-csat-survey/get-csat-survey.query';

const RATING_SCHEMA = { oneOf: [{ type: 'string', enum: ['good', 'bad'] }, { type: 'integer', minimum: 1, maximum: 5 }] };
export const RATING_FILTERS = ['good', 'bad', '1', '2', '3', '4', '5'] as const;

export class RateTicketDto {
  @ApiProperty({ ...RATING_SCHEMA, description: '"good" or "bad" on a binary survey, 1–5 on a five-point one', example: 'good' })
  @IsDefined({ message: 'rating is required: "good" or "bad", or 1–5 on a five-point survey' })
  rating: unknown;
  @ApiPropertyOptional({ maxLength: CSAT_COMMENT_MAX, nullable: true, type: String })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MaxLength(CSAT_COMMENT_MAX)
  comment?: string | null;
}

export class CsatSurveyResponse implements CsatSurvey {
  @ApiProperty() ticketNumber: number;
  @ApiProperty() subject: string;
  @ApiProperty({ enum: CSAT_SCALES }) scale: CsatScale;
  @ApiProperty({ ...RATING_SCHEMA, nullable: true }) rating: CsatRating | null;
  @ApiProperty({ nullable: true, type: String }) comment: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) ratedAt: string | null;
  @ApiProperty({ format: 'date-time' }) expiresAt: string;
  @ApiProperty({ description: 'Whether a rating (or a change) is still accepted' }) canChange: boolean;
  @ApiProperty({ format: 'date-time', description: 'The survey’s expiry before the first rating; the end of the change window after it' }) changeableUntil: string;
}

export class CsatResponse implements CsatView {
  @ApiProperty({ format: 'uuid' }) ticketId: string;
  @ApiProperty({ enum: CSAT_SCALES }) scale: CsatScale;
  @ApiProperty({ ...RATING_SCHEMA, nullable: true }) rating: CsatRating | null;
  @ApiProperty({ nullable: true, type: String }) comment: string | null;
  @ApiProperty({ format: 'date-time' }) offeredAt: string;
  @ApiProperty({ format: 'date-time' }) expiresAt: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) ratedAt: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) updatedAt: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) changeableUntil: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid', description: 'At rating time' }) requesterId: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid', description: 'At rating time' }) assigneeId: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid', description: 'At rating time' }) groupId: string | null;
}

export class TicketCsatResponse {
  @ApiProperty({ type: CsatResponse, nullable: true, description: 'null until the ticket is first solved' }) csat: CsatResponse | null;
}

export class CsatTotalsResponse implements CsatTotals {
  @ApiProperty({ description: 'Surveys offered in the range' }) offered: number;
  @ApiProperty({ description: 'Ratings given in the range (with the filters)' }) responses: number;
  @ApiProperty() good: number;
  @ApiProperty() bad: number;
  @ApiProperty({ nullable: true, type: Number, description: 'Average of 1–5 ratings' }) averageScore: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Rated / offered among the surveys offered in the range (0–1)' }) responseRate: number | null;
}

export class CsatReportResponse {
  @ApiProperty({ type: [CsatResponse] }) data: CsatResponse[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
  @ApiProperty({ format: 'date-time' }) from: string;
  @ApiProperty({ format: 'date-time' }) to: string;
  @ApiProperty({ type: CsatTotalsResponse }) totals: CsatTotalsResponse;
}

export class CsatReportQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'date-time', description: 'Default: start of this UTC month' }) @IsOptional() @IsISO8601() from?: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'Default: now; at most 366 days after from' }) @IsOptional() @IsISO8601() to?: string;
  @ApiPropertyOptional({ enum: RATING_FILTERS }) @IsOptional() @IsIn(RATING_FILTERS) rating?: (typeof RATING_FILTERS)[number];
  @ApiPropertyOptional({ format: 'uuid', description: 'The group the ticket was in when rated' }) @IsOptional() @IsUUID() groupId?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'The assignee when rated' }) @IsOptional() @IsUUID() assigneeId?: string;
}
