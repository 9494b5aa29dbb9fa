import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { EXPORT_FORMATS, type ExportFormat } from '../domain/metrics-export';
import type { NextReply, StatusInterval, TicketMetrics } from '../domain/ticket-metrics';
import type { RebuildView } from '../repositories/rebuilds.sql';

const minutes = (description: string) => ApiProperty({ type: Number, nullable: true, description });

export class NextReplyResponse implements NextReply {
  @ApiProperty({ format: 'date-time', description: 'The requester’s message after an agent had answered' }) requestedAt: string;
  @ApiProperty({ format: 'date-time', description: 'The next public agent reply' }) repliedAt: string;
  @ApiProperty({ description: 'Calendar minutes between them' }) minutes: number;
  @minutes('Business minutes on the group’s calendar (null: no calendar)') businessMinutes: number | null;
}

export class TicketMetricsResponse implements TicketMetrics {
  @ApiProperty({ format: 'uuid' }) ticketId: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty() status: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) customStatusId: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) groupId: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) assigneeId: string | null;
  @ApiProperty() channel: string;
  @ApiProperty() priority: string;
  @ApiProperty({ type: [String], description: 'The ticket’s tags now (sorted)' }) tags: string[];
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'The first public agent reply' }) firstReplyAt: string | null;
  @minutes('Calendar minutes from creation to the first public agent reply') firstReplyMinutes: number | null;
  @minutes('The same in business minutes on the group’s calendar (null: no calendar)') firstReplyBusinessMinutes: number | null;
  @ApiProperty({ type: [NextReplyResponse] }) nextReplies: NextReplyResponse[];
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'First solved (or closed), kept after a reopen' }) firstSolvedAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'Last solved, while it still is' }) solvedAt: string | null;
  @minutes('Calendar minutes from creation to the last solve (null while unsolved)') fullResolutionMinutes: number | null;
  @minutes('The same in business minutes') fullResolutionBusinessMinutes: number | null;
  @ApiProperty() publicReplies: number;
  @ApiProperty() internalNotes: number;
  @ApiProperty({ description: 'Moves from solved or closed back to an open status' }) reopens: number;
  @ApiProperty() assigneeChanges: number;
  @ApiProperty() groupChanges: number;
  @ApiProperty({ description: 'Changes and agent messages written by agents' }) agentTouches: number;
  @ApiProperty({ description: 'The last history entry these figures include' }) historyPosition: number;
}

export class StatusIntervalResponse implements StatusInterval {
  @ApiProperty() seq: number;
  @ApiProperty() status: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) customStatusId: string | null;
  @ApiProperty({ format: 'date-time' }) startedAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'null: the ticket is still in this status' }) endedAt: string | null;
  @minutes('Calendar minutes (null while the interval runs)') minutes: number | null;
  @minutes('Business minutes on the group’s calendar') businessMinutes: number | null;
}

export class StatusDurationsResponse {
  @ApiProperty({ format: 'uuid' }) ticketId: string;
  @ApiProperty({ type: [StatusIntervalResponse] }) data: StatusIntervalResponse[];
}

export class RebuildResponse implements RebuildView {
  @ApiProperty({ description: 'Which rebuild: a new request supersedes a running one' }) generation: number;
  @ApiProperty({ enum: ['running', 'done'] }) state: 'running' | 'done';
  @ApiProperty({ description: 'Tickets recomputed so far' }) done: number;
  @ApiProperty({ format: 'date-time' }) requestedAt: string;
  @ApiProperty({ format: 'date-time' }) progressedAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) finishedAt: string | null;
}

export class ExportTicketMetricsQueryDto {
  @ApiPropertyOptional({ enum: EXPORT_FORMATS, default: 'csv', description: 'CSV with a header line, or one JSON object per line' })
  @IsOptional()
  @IsIn(EXPORT_FORMATS)
  format?: ExportFormat;

  @ApiPropertyOptional({ description: 'The `Export-Cursor` header of an earlier export: only tickets whose figures were computed since (with a minute of overlap)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}
