import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { PageQueryDto } from '@switchboard/platform';

export class ReconciliationQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ default: false, description: 'Only lines where Stripe’s total differs from ours or from what we reported' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  differencesOnly?: boolean;

  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() tenantId?: string;
}

export class MeterReportsQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 50 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100) limit: number = 50;
}

class PeriodResponse {
  @ApiProperty({ format: 'date' }) start: string;
  @ApiProperty({ format: 'date', description: 'Exclusive' }) end: string;
}

export class ReconciliationResponse {
  @ApiProperty({ format: 'uuid' }) tenantId: string;
  @ApiProperty({ type: PeriodResponse }) period: PeriodResponse;
  @ApiProperty({ enum: ['api_requests', 'ai_tokens', 'storage_bytes', 'seats'] }) category: 'api_requests' | 'ai_tokens' | 'storage_bytes' | 'seats';
  @ApiProperty({ description: 'Our usage in the period (storage_bytes, seats: the period’s high-water)' }) ours: number;
  @ApiProperty({ description: 'Sent to Stripe and acknowledged (gauges: the highest value sent)' }) reported: number;
  @ApiProperty({ description: 'Decided but not delivered yet, or rejected by Stripe (gauges: the highest such value)' }) pending: number;
  @ApiProperty({ description: 'Stripe’s meter event summaries (sum meters: the sum; gauges: the last value)' }) stripe: number;
  @ApiProperty({ description: 'ours − stripe' }) difference: number;
  @ApiProperty({ description: 'reported − stripe: should be 0' }) unexplained: number;
  @ApiProperty({ format: 'date-time' }) checkedAt: string;
}

export class ReconciliationPageResponse {
  @ApiProperty({ type: [ReconciliationResponse] }) data: ReconciliationResponse[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class MeterReportResponse {
  @ApiProperty({ description: 'Stripe’s meter event identifier (deterministic: tenant, category, model, day, sequence)' }) identifier: string;
  @ApiProperty({ enum: ['api_requests', 'ai_tokens', 'storage_bytes', 'seats'] }) category: 'api_requests' | 'ai_tokens' | 'storage_bytes' | 'seats';
  @ApiProperty({ description: 'The model for AI tokens, empty for API requests' }) dimension: string;
  @ApiProperty({ format: 'date', description: 'The usage day; for storage_bytes and seats the period’s first day' }) day: string;
  @ApiProperty() seq: number;
  @ApiProperty({ description: 'The usage added to the slice since its previous report; for storage_bytes and seats the new high-water of the period' }) quantity: number;
  @ApiProperty() eventName: string;
  @ApiProperty({ enum: ['pending', 'sent', 'rejected'] }) status: 'pending' | 'sent' | 'rejected';
  @ApiProperty() attempts: number;
  @ApiProperty({ nullable: true, type: String }) lastError: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) sentAt: string | null;
}

export class MeterReportListResponse {
  @ApiProperty({ type: [MeterReportResponse] }) data: MeterReportResponse[];
}
