import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { REPORT_GROUPINGS, REPORT_INTERVALS, REPORT_NAMES, type ReportGrouping, type ReportInterval, type ReportName, type ReportPoint, type ReportResult, type ReportSeries, type ReportUnit } from '../domain/report';
import { EXPORT_FORMATS, type ExportFormat } from '../domain/metrics-export';

/** Checked in full by the query (precise 400s); here only their shape, for the API description. */
export class ReportQueryDto {
  @ApiPropertyOptional({ format: 'date', description: 'First local day (inclusive, the tenant’s time zone); default: 29 days before `to`' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  from?: string;

  @ApiPropertyOptional({ format: 'date', description: 'Last local day (inclusive); default: today. At most 731 days from `from`' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  to?: string;

  @ApiPropertyOptional({ enum: REPORT_INTERVALS, default: 'day', description: 'Points per day, per week (Monday first) or per month' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  interval?: string;

  @ApiPropertyOptional({ enum: REPORT_GROUPINGS, description: 'One series per value of this dimension (agent: owners and admins; an agent gets only their own)' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  groupBy?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only this group’s figures' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  groupId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only this agent’s figures (owners and admins; an agent may pass only their own id)' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  agentId?: string;
}

export class ReportExportQueryDto extends ReportQueryDto {
  @ApiPropertyOptional({ enum: EXPORT_FORMATS, default: 'csv', description: 'CSV with a header line, or one JSON object per line' })
  @IsOptional()
  @IsIn(EXPORT_FORMATS)
  format?: ExportFormat;
}

class ReportPointResponse implements ReportPoint {
  @ApiProperty({ format: 'date', description: 'The period’s first local day' }) period: string;
  @ApiProperty({ type: Number, nullable: true, description: 'Null where a ratio or percentile has no data' }) value: number | null;
}

class ReportDimensionResponse {
  @ApiProperty({ enum: REPORT_GROUPINGS }) by: ReportGrouping;
  @ApiProperty({ type: String, nullable: true, description: 'The dimension value (null: none, e.g. unassigned)' }) value: string | null;
  @ApiProperty() label: string;
}

class ReportSeriesResponse implements ReportSeries {
  @ApiProperty({ description: 'Stable within a report; grouped: `<key>:<dimension value>`' }) key: string;
  @ApiProperty() label: string;
  @ApiProperty({ enum: ['count', 'minutes', 'percent', 'minor', 'tokens'] }) unit: ReportUnit;
  @ApiPropertyOptional({ type: ReportDimensionResponse }) dimension?: ReportDimensionResponse;
  @ApiProperty({ type: [ReportPointResponse] }) points: ReportPointResponse[];
}

class ReportFiltersResponse {
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) groupId: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) agentId: string | null;
}

export class ReportResponse implements ReportResult {
  @ApiProperty({ enum: REPORT_NAMES }) report: ReportName;
  @ApiProperty() title: string;
  @ApiProperty({ description: 'The tenant’s IANA time zone the days are in' }) timeZone: string;
  @ApiProperty({ format: 'date' }) from: string;
  @ApiProperty({ format: 'date' }) to: string;
  @ApiProperty({ enum: REPORT_INTERVALS }) interval: ReportInterval;
  @ApiProperty({ enum: REPORT_GROUPINGS, nullable: true, type: String }) groupBy: ReportGrouping | null;
  @ApiProperty({ type: ReportFiltersResponse, description: 'The filters applied (an agent’s own id is set for them)' }) filters: ReportFiltersResponse;
  @ApiProperty({ type: String, nullable: true, description: 'ISO 4217 currency of `minor` series' }) currency: string | null;
  @ApiProperty({ type: [ReportSeriesResponse] }) series: ReportSeriesResponse[];
  @ApiProperty({ type: String, nullable: true, format: 'date-time', description: 'When the newest rollup read was computed' }) computedAt: string | null;
}
