import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsDateString, IsIn, IsNumber, IsOptional, IsUUID, Matches, Max, Min, ValidateBy, ValidateIf } from 'class-validator';
import { FLAG_KINDS, type FlagKind } from '../feature-flag';

const MAX_LISTED = 1000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

const isTenantOverrides = (value: unknown): boolean =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  Object.keys(value).length <= MAX_LISTED &&
  Object.entries(value).every(([k, v]) => UUID.test(k) && typeof v === 'boolean');

export class SaveFeatureFlagDto {
  @ApiProperty({ enum: FLAG_KINDS, description: 'boolean: on for everyone while enabled; percentage: a stable share of tenants or users; allow_list: the listed tenants and users; plan: tenants on the listed plans' })
  @IsIn(FLAG_KINDS)
  kind: FlagKind;

  @ApiProperty({ description: 'The kill switch: false turns it off for everyone but the tenant overrides' }) @IsBoolean() enabled: boolean;

  @ApiPropertyOptional({ minimum: 0, maximum: 100, default: 0, description: 'percentage kind: the share that sees it (two decimals); raising it keeps those who had it' })
  @IsOptional() @IsNumber({ maxDecimalPlaces: 2, allowNaN: false, allowInfinity: false }) @Min(0) @Max(100)
  percentage?: number;

  @ApiPropertyOptional({ enum: ['tenant', 'user'], default: 'tenant', description: 'Whose id the percentage hashes; by user, API keys and system work hash the tenant' })
  @IsOptional() @IsIn(['tenant', 'user'])
  rolloutBy?: 'tenant' | 'user';

  @ApiPropertyOptional({ type: [String], format: 'uuid', maxItems: MAX_LISTED }) @IsOptional() @IsArray() @ArrayMaxSize(MAX_LISTED) @IsUUID('all', { each: true }) allowTenants?: string[];

  @ApiPropertyOptional({ type: [String], format: 'uuid', maxItems: MAX_LISTED }) @IsOptional() @IsArray() @ArrayMaxSize(MAX_LISTED) @IsUUID('all', { each: true }) allowUsers?: string[];

  @ApiPropertyOptional({ type: [String], maxItems: 50, example: ['team', 'business'], description: 'plan kind: the plan codes whose tenants see it (GET /v1/billing/plans lists them)' })
  @IsOptional() @IsArray() @ArrayMaxSize(50) @Matches(/^[a-z][a-z0-9_-]{0,39}$/, { each: true, message: 'each plan must be a plan code (lower-case letters, digits, _ and -)' })
  plans?: string[];

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'boolean' }, description: 'Tenant id → on/off; wins over the kill switch and the kind (at most 1,000)', example: { '6f1c1c36-55a4-4f43-9d7c-0d1a1e0b9a11': true } })
  @IsOptional()
  @ValidateBy({ name: 'isTenantOverrides', validator: { validate: isTenantOverrides, defaultMessage: () => `must map at most ${MAX_LISTED} tenant ids to true or false` } })
  tenantOverrides?: Record<string, boolean>;

  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true, description: 'After it the rule is ignored and the flag answers its default' })
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsDateString({ strict: true })
  expiresAt?: string | null;
}

export class EvaluateFeatureFlagQueryDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() tenantId: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() userId?: string;
}

export class FeatureFlagRuleResponse {
  @ApiProperty({ enum: FLAG_KINDS }) kind: FlagKind;
  @ApiProperty() enabled: boolean;
  @ApiProperty() percentage: number;
  @ApiProperty({ enum: ['tenant', 'user'] }) rolloutBy: 'tenant' | 'user';
  @ApiProperty({ type: [String] }) allowTenants: string[];
  @ApiProperty({ type: [String] }) allowUsers: string[];
  @ApiProperty({ type: [String] }) plans: string[];
  @ApiProperty({ type: 'object', additionalProperties: { type: 'boolean' } }) tenantOverrides: Record<string, boolean>;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) expiresAt: string | null;
  @ApiProperty({ description: 'True once expiresAt has passed: the flag answers its default' }) expired: boolean;
  @ApiProperty() version: number;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class FeatureFlagResponse {
  @ApiProperty({ example: 'tickets.learn-contact-language' }) name: string;
  @ApiProperty() description: string;
  @ApiProperty({ description: 'The answer without a rule (or after it expires)' }) default: boolean;
  @ApiProperty({ description: 'The context that declares it' }) context: string;
  @ApiProperty({ type: FeatureFlagRuleResponse, nullable: true }) rule: FeatureFlagRuleResponse | null;
}

export class FeatureFlagPageResponse {
  @ApiProperty({ type: [FeatureFlagResponse] }) data: FeatureFlagResponse[];
  @ApiProperty({ type: String, nullable: true, description: 'Always null: every declared flag is listed' }) nextCursor: null;
}

export class FeatureFlagEvaluationResponse {
  @ApiProperty() enabled: boolean;
  @ApiProperty({ enum: ['default', 'expired', 'tenant_override', 'off', 'on', 'allow_list', 'not_allowed', 'rollout_in', 'rollout_out', 'plan', 'not_on_plan'] }) reason: string;
}
