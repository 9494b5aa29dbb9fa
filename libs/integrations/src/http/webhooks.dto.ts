import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsOptional, IsString, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { PageQueryDto } from '@switchboard/platform';
import { MAX_FILTER_PATTERNS, MAX_PATTERN_LENGTH } from '../domain/event-filter';
import type { DeliveryStatus, DeliveryView, EndpointView } from '../repositories/webhooks.sql';

const Trim = () => Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));
const EVENT_TYPES_DESCRIPTION = 'Public event types to send: exact (`ticket.created`), a prefix wildcard (`ticket.*`) or `*` for every event';

export class CreateWebhookDto {
  @ApiProperty({ example: 'https://example.com/hooks/switchboard', maxLength: 2048, description: 'An https URL on a public host' })
  @Trim() @IsString() @MinLength(1) @MaxLength(2048) url: string;
  @ApiPropertyOptional({ maxLength: 500, nullable: true, type: String }) @IsOptional() @ValidateIf((_, v) => v !== null) @Trim() @IsString() @MaxLength(500) description?: string | null;
  @ApiProperty({ type: [String], example: ['ticket.*'], maxItems: MAX_FILTER_PATTERNS, description: EVENT_TYPES_DESCRIPTION })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(MAX_FILTER_PATTERNS) @IsString({ each: true }) @MaxLength(MAX_PATTERN_LENGTH, { each: true }) eventTypes: string[];
  @ApiPropertyOptional({ default: true }) @IsOptional() @IsBoolean() active?: boolean;
}

export class UpdateWebhookDto {
  @ApiPropertyOptional({ maxLength: 2048 }) @IsOptional() @Trim() @IsString() @MinLength(1) @MaxLength(2048) url?: string;
  @ApiPropertyOptional({ maxLength: 500, nullable: true, type: String }) @IsOptional() @ValidateIf((_, v) => v !== null) @Trim() @IsString() @MaxLength(500) description?: string | null;
  @ApiPropertyOptional({ type: [String], maxItems: MAX_FILTER_PATTERNS, description: EVENT_TYPES_DESCRIPTION })
  @IsOptional() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(MAX_FILTER_PATTERNS) @IsString({ each: true }) @MaxLength(MAX_PATTERN_LENGTH, { each: true }) eventTypes?: string[];
  @ApiPropertyOptional({ description: 'false stops deliveries; true turns a disabled endpoint back on (clearing its failure streak)' }) @IsOptional() @IsBoolean() active?: boolean;
}

const STATUSES: DeliveryStatus[] = ['pending', 'sending', 'succeeded', 'failed'];

export class DeliveriesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: STATUSES }) @IsOptional() @IsIn(STATUSES) status?: DeliveryStatus;
}

export class WebhookResponse implements EndpointView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() url: string;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty({ type: [String] }) eventTypes: string[];
  @ApiProperty() active: boolean;
  @ApiProperty({ nullable: true, type: String, description: 'Why the platform turned it off (410 Gone, sustained failure)' }) disabledReason: string | null;
  @ApiProperty({ example: '…AbCd (sha256:1a2b3c4d)', description: 'The last characters and a fingerprint of the current secret' }) secretHint: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'Until when the secret before the last rotation still signs deliveries' }) previousSecretExpiresAt: string | null;
  @ApiProperty({ description: 'Failed attempts since the last success' }) consecutiveFailures: number;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) failingSince: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty() version: number;
}

export class WebhookWithSecretResponse extends WebhookResponse {
  @ApiProperty({ example: 'whsec_…', description: 'The signing secret, shown this once' }) secret: string;
}

export class WebhookListResponse {
  @ApiProperty({ type: [WebhookResponse] }) data: WebhookResponse[];
}

export class DeliveryResponse implements DeliveryView {
  @ApiProperty({ format: 'uuid', description: 'Also the Webhook-Id header, the same on every attempt' }) id: string;
  @ApiProperty({ format: 'uuid' }) endpointId: string;
  @ApiProperty({ format: 'uuid' }) eventId: string;
  @ApiProperty({ example: 'ticket.created' }) eventType: string;
  @ApiProperty({ enum: STATUSES }) status: DeliveryStatus;
  @ApiProperty() attempts: number;
  @ApiProperty({ nullable: true, type: Number }) responseStatus: number | null;
  @ApiProperty({ nullable: true, type: String, description: 'The first 2 KB of the last answer' }) responseBody: string | null;
  @ApiProperty({ nullable: true, type: Number }) durationMs: number | null;
  @ApiProperty({ nullable: true, type: String }) error: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'When the next attempt is due (pending only)' }) nextAttemptAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) lastAttemptAt: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class DeliveryListResponse {
  @ApiProperty({ type: [DeliveryResponse] }) data: DeliveryResponse[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class PingResponse {
  @ApiProperty({ description: 'The receiver answered 2xx' }) ok: boolean;
  @ApiProperty({ nullable: true, type: Number, description: 'Its HTTP status; null when it could not be reached' }) status: number | null;
  @ApiProperty() durationMs: number;
  @ApiProperty({ nullable: true, type: String }) responseBody: string | null;
  @ApiProperty({ nullable: true, type: String }) error: string | null;
}
