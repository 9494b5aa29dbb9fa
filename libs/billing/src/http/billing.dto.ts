import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { PageQueryDto } from '@switchboard/platform';
import { PLAN_CODES, SUBSCRIPTION_STATUSES, type PlanCode, type SubscriptionStatus } from '../domain/plans';

const Trim = () => Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));

export class CheckoutDto {
  @ApiProperty({ enum: PLAN_CODES.filter((p) => p !== 'free'), example: 'team' }) @IsIn(PLAN_CODES.filter((p) => p !== 'free')) plan: PlanCode;
}

export class ChangePlanDto {
  @ApiProperty({ enum: PLAN_CODES }) @IsIn(PLAN_CODES) plan: PlanCode;
  @ApiPropertyOptional({ enum: SUBSCRIPTION_STATUSES, description: 'Kept when absent (a tenant on the implicit trial becomes active)' }) @IsOptional() @IsIn(SUBSCRIPTION_STATUSES) status?: SubscriptionStatus;
}

export class GrantCreditsDto {
  @ApiProperty({ minimum: 1, maximum: 100_000_000, description: 'US cents' }) @IsInt() @Min(1) @Max(100_000_000) amountCents: number;
  @ApiProperty({ minLength: 1, maxLength: 500 }) @Trim() @IsString() @MinLength(1) @MaxLength(500) reason: string;
}

export class SubscriptionListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: SUBSCRIPTION_STATUSES }) @IsOptional() @IsIn(SUBSCRIPTION_STATUSES) status?: SubscriptionStatus;
}

export class EntitlementsResponse {
  @ApiProperty({ nullable: true, type: Number, description: 'Members plus pending invitations; null: unlimited' }) seats: number | null;
  @ApiProperty({ nullable: true, type: Number }) aiMonthlyTokens: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'US cents' }) aiMonthlyCostCents: number | null;
  @ApiProperty({ nullable: true, type: Number }) apiRequestsPerMinute: number | null;
  @ApiProperty({ nullable: true, type: Number }) storageBytes: number | null;
  @ApiProperty({ type: [String], example: ['ai_assists', 'channels'] }) features: string[];
}

export class PlanResponse {
  @ApiProperty({ enum: PLAN_CODES }) code: PlanCode;
  @ApiProperty() name: string;
  @ApiProperty({ type: EntitlementsResponse }) entitlements: EntitlementsResponse;
}

export class PlanListResponse {
  @ApiProperty({ type: [PlanResponse] }) data: PlanResponse[];
}

export class SubscriptionResponse {
  @ApiProperty({ type: PlanResponse }) plan: PlanResponse;
  @ApiProperty({ enum: SUBSCRIPTION_STATUSES }) status: SubscriptionStatus;
  @ApiProperty({ description: 'No subscription yet: the default plan’s open trial' }) implicit: boolean;
  @ApiProperty({ description: 'Out of good standing past the grace period: reads only' }) limited: boolean;
  @ApiProperty({ nullable: true, type: String }) stripeCustomerId: string | null;
  @ApiProperty({ nullable: true, type: String }) stripeSubscriptionId: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) trialEndsAt: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) currentPeriodStart: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) currentPeriodEnd: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: 'Since when it is out of good standing (the grace period runs from here)' }) lapsedAt: string | null;
  @ApiProperty({ description: 'Credit granted by operators, US cents' }) creditCents: number;
  @ApiProperty() version: number;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) updatedAt: string | null;
}

export class TenantSubscriptionResponse extends SubscriptionResponse {
  @ApiProperty({ format: 'uuid' }) tenantId: string;
}

export class SubscriptionPageResponse {
  @ApiProperty({ type: [TenantSubscriptionResponse] }) data: TenantSubscriptionResponse[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class LinkResponse {
  @ApiProperty({ example: 'https://checkout.stripe.com/c/pay/cs_test_…' }) url: string;
}

export class CreditGrantResponse {
  @ApiProperty({ format: 'uuid' }) grantId: string;
  @ApiProperty({ description: 'US cents' }) balanceCents: number;
}

export class StripeWebhookResponse {
  @ApiProperty({ enum: [true] }) received: true;
  @ApiProperty() applied: boolean;
  @ApiProperty({ nullable: true, type: String, example: 'duplicate event' }) reason: string | null;
}

class UsagePeriod {
  @ApiProperty({ format: 'date', example: '2026-12-01' }) start: string;
  @ApiProperty({ format: 'date', example: '2027-01-01', description: 'Exclusive' }) end: string;
}

class UsageTotals {
  @ApiProperty() apiRequests: number;
  @ApiProperty() aiTokens: number;
  @ApiProperty({ description: 'AI cost in millionths of a US dollar' }) aiCostMicros: number;
}

class UsageLineResponse {
  @ApiProperty({ enum: ['api_requests', 'ai_tokens'] }) category: 'api_requests' | 'ai_tokens';
  @ApiProperty({ description: 'Endpoint group (api_requests) or model (ai_tokens)' }) dimension: string;
  @ApiProperty() quantity: number;
  @ApiProperty() costMicros: number;
}

class UsageDayResponse extends UsageTotals {
  @ApiProperty({ format: 'date' }) day: string;
}

class UsageLevel {
  @ApiProperty() now: number;
  @ApiProperty({ description: 'The highest level seen in the period (sampled every minute for tenants billed through Stripe, and now)' }) highWater: number;
}

class StoredFileTypeResponse {
  @ApiProperty({ example: 'image/png', description: 'The sniffed content type of the stored files' }) contentType: string;
  @ApiProperty() files: number;
  @ApiProperty() bytes: number;
}

class UsageLevels {
  @ApiProperty({ type: UsageLevel, description: 'Bytes of stored files' }) storageBytes: UsageLevel;
  @ApiProperty({ type: UsageLevel, description: 'Members plus pending invitations' }) seats: UsageLevel;
  @ApiProperty({ type: [StoredFileTypeResponse], description: 'Stored files by content type now, largest first (at most 50 types)' }) storageByType: StoredFileTypeResponse[];
}

export class UsageResponse {
  @ApiProperty({ type: UsagePeriod }) period: UsagePeriod;
  @ApiProperty({ type: UsageTotals }) totals: UsageTotals;
  @ApiProperty({ type: [UsageLineResponse] }) byCategory: UsageLineResponse[];
  @ApiProperty({ type: [UsageDayResponse] }) daily: UsageDayResponse[];
  @ApiProperty({ type: UsageLevels, description: 'Stored bytes and seats, now and the period’s high-water (what Stripe’s `last` meters bill)' }) levels: UsageLevels;
}
