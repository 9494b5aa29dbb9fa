import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
  ArrayMinSize,
  ValidateBy,
  type ValidationOptions,
} from 'class-validator';

const PROVIDER_NAME = /^[a-z0-9][a-z0-9_-]{0,39}$/;
const MAX_SCHEMA_BYTES = 20_000;

function JsonMaxBytes(max: number, options?: ValidationOptions) {
  return ValidateBy({ name: 'jsonMaxBytes', validator: { validate: (v: unknown) => JSON.stringify(v ?? null).length <= max, defaultMessage: () => `must be at most ${max} bytes as JSON` } }, options);
}

export class FeatureRouteDto {
  @ApiPropertyOptional({ example: 'openai', description: 'A configured provider name, or local' }) @IsOptional() @IsString() @Matches(PROVIDER_NAME) provider?: string;
  @ApiPropertyOptional({ example: 'gpt-4o-mini' }) @IsOptional() @IsString() @MinLength(1) @MaxLength(200) model?: string;
}

/**
 * Feature names are registered at run time by the contexts that own the features, so the schema
 * cannot enumerate them; the descriptions name this release's features, and the api's 400/404
 * answers list the registered ones.
 */
const FEATURE_NAMES = 'the gateway’s own `extraction` and `completion`, and those the other contexts register (in this release `answer`, `draft`, `field_service_close_out_extraction`, `field_service_lead_extraction`, `summary` and `triage`)';

const FEATURE_ROUTES = {
  type: 'object',
  additionalProperties: { $ref: getSchemaPath(FeatureRouteDto) },
  description: `Routes by feature name: ${FEATURE_NAMES}. A name that is not registered is a 400 listing the registered features.`,
} as const;

export class BudgetDto {
  @ApiPropertyOptional({ nullable: true, type: Number, description: 'Tokens (prompt + completion) per calendar month, UTC' }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsInt() @Min(0) @Max(1e12) monthlyTokens?: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number, description: 'Cost per calendar month in US cents' }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsInt() @Min(0) @Max(1e10) monthlyCostCents?: number | null;
  @ApiPropertyOptional({ default: 80, description: 'Percentage at which answers carry an AI-Budget-Warning' }) @IsOptional() @IsInt() @Min(1) @Max(100) softLimitPercent?: number;
}

export class RedactionDto {
  @ApiPropertyOptional({ default: false, description: 'Replace e-mail addresses with [EMAIL_n]' }) @IsOptional() @IsBoolean() email?: boolean;
  @ApiPropertyOptional({ default: false, description: 'Replace phone numbers in international form (+…, 00…) with [PHONE_n]' }) @IsOptional() @IsBoolean() phone?: boolean;
  @ApiPropertyOptional({ default: false, description: 'Replace Luhn-valid card numbers with [CARD_n]; answers get them back masked (**** 4242)' }) @IsOptional() @IsBoolean() card?: boolean;
}

@ApiExtraModels(FeatureRouteDto)
export class UpdateAiSettingsDto {
  @ApiPropertyOptional({ example: 'local' }) @IsOptional() @IsString() @Matches(PROVIDER_NAME) defaultProvider?: string;
  @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsString() @MinLength(1) @MaxLength(200) defaultModel?: string | null;
  // A Map, so that each route is validated as a FeatureRouteDto whatever the feature's name.
  @ApiPropertyOptional(FEATURE_ROUTES) @IsOptional() @IsObject() @IsObject({ each: true }) @ValidateNested({ each: true }) @Type(() => FeatureRouteDto) features?: Map<string, FeatureRouteDto>;
  @ApiPropertyOptional({ type: [String], description: 'Providers tried in order when the routed one fails' }) @IsOptional() @IsArray() @ArrayMaxSize(5) @IsString({ each: true }) @Matches(PROVIDER_NAME, { each: true }) fallback?: string[];
  @ApiPropertyOptional({ type: [String], description: 'Empty: any model' }) @IsOptional() @IsArray() @ArrayMaxSize(100) @IsString({ each: true }) @MaxLength(200, { each: true }) allowedModels?: string[];
  @ApiPropertyOptional({ type: BudgetDto }) @IsOptional() @IsObject() @ValidateNested() @Type(() => BudgetDto) budget?: BudgetDto;
  @ApiPropertyOptional({ type: RedactionDto, description: 'Personal data kept from non-local providers and restored in answers; replaces the stored switches' }) @IsOptional() @IsObject() @ValidateNested() @Type(() => RedactionDto) redaction?: RedactionDto;
  @ApiPropertyOptional({ description: 'The version you read; a stale one is a 409' }) @IsOptional() @IsInt() @Min(0) version?: number;
}

export class SaveProviderDto {
  @ApiProperty({ enum: ['openai', 'anthropic', 'gemini'], description: 'openai also covers OpenAI-compatible servers (Ollama, vLLM, LM Studio) through baseUrl' }) @IsIn(['openai', 'anthropic', 'gemini']) kind: 'openai' | 'anthropic' | 'gemini';
  @ApiPropertyOptional({ nullable: true, type: String, writeOnly: true, description: 'Stored encrypted; never returned. Omit to keep the stored key, null to remove it.' }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsString() @MinLength(1) @MaxLength(500) apiKey?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, example: 'http://localhost:11434/v1' }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsString() @MaxLength(500) baseUrl?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsString() @MinLength(1) @MaxLength(200) defaultModel?: string | null;
}

export class ChatMessageDto {
  @ApiProperty({ enum: ['system', 'user', 'assistant'] }) @IsIn(['system', 'user', 'assistant']) role: 'system' | 'user' | 'assistant';
  @ApiProperty({ maxLength: 200_000 }) @IsString() @MaxLength(200_000) content: string;
}

export class CompletionDto {
  @ApiProperty({ type: [ChatMessageDto] }) @IsArray() @ArrayMinSize(1) @ArrayMaxSize(200) @IsObject({ each: true }) @ValidateNested({ each: true }) @Type(() => ChatMessageDto) messages: ChatMessageDto[];
  @ApiPropertyOptional({ description: 'Overrides the routed model (must be allowed)' }) @IsOptional() @IsString() @MinLength(1) @MaxLength(200) model?: string;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(32_000) maxTokens?: number;
  @ApiPropertyOptional() @IsOptional() @IsNumber() @Min(0) @Max(2) temperature?: number;
  @ApiPropertyOptional({ default: false, description: 'true: answer as Server-Sent Events (delta events, then done)' }) @IsOptional() @IsBoolean() stream?: boolean;
}

export class ExtractDto {
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'JSON schema with type object and properties at the root (≤ 20 kB)' }) @IsObject() @JsonMaxBytes(MAX_SCHEMA_BYTES) schema: Record<string, unknown>;
  @ApiProperty({ maxLength: 100_000 }) @IsString() @MinLength(1) @MaxLength(100_000) text: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(200) model?: string;
}

/** Where a path or body names a feature that has a prompt template. */
export const TEMPLATE_FEATURE_DESCRIPTION = 'A feature with a prompt template: the gateway’s own `extraction`, or one a context registers (in this release `answer`, `draft`, `field_service_close_out_extraction`, `field_service_lead_extraction`, `summary` and `triage`); GET /v1/ai/templates lists them';

export class TemplateRefResponse {
  @ApiProperty({ description: TEMPLATE_FEATURE_DESCRIPTION }) feature: string;
  @ApiProperty({ description: '1 is the shipped default; a tenant\'s versions follow' }) version: number;
  @ApiProperty({ enum: ['default', 'tenant'] }) source: string;
}

export class TemplateMessageDto {
  @ApiProperty({ enum: ['system', 'user', 'assistant'] }) @IsIn(['system', 'user', 'assistant']) role: 'system' | 'user' | 'assistant';
  @ApiProperty({ description: 'Logic-less template: {{variable}}, {{#list}}…{{/list}}, {{^list}}…{{/list}}, {{.}}, {{! comment }}; at most 20,000 characters', example: 'Question: {{question}}' })
  @IsString()
  @MaxLength(100_000)
  content: string;
}

export class SaveTemplateDto {
  @ApiProperty({ type: [TemplateMessageDto], description: '1–8 messages, at least one from the user' }) @IsArray() @ArrayMinSize(1) @ArrayMaxSize(8) @IsObject({ each: true }) @ValidateNested({ each: true }) @Type(() => TemplateMessageDto) messages: TemplateMessageDto[];
  @ApiPropertyOptional({ description: 'The version you read (or send If-Match); a stale one is a 409' }) @IsOptional() @IsInt() @Min(1) version?: number;
}

export class DraftTemplateDto {
  @ApiProperty({ type: [TemplateMessageDto] }) @IsArray() @ArrayMinSize(1) @ArrayMaxSize(8) @IsObject({ each: true }) @ValidateNested({ each: true }) @Type(() => TemplateMessageDto) messages: TemplateMessageDto[];
}

export class PreviewTemplateDto {
  @ApiProperty({ type: 'object', additionalProperties: true, description: "The feature's variables, exactly as the feature passes them (≤ 200 kB)", example: { question: 'How do I reset the boiler?', passages: [{ title: 'Boiler reset', text: 'Hold the reset button for 5 seconds.' }], locale: 'en' } })
  @IsObject()
  @JsonMaxBytes(200_000)
  variables: Record<string, unknown>;
  @ApiPropertyOptional({ type: DraftTemplateDto, description: 'A draft to render instead of the saved template' }) @IsOptional() @IsObject() @ValidateNested() @Type(() => DraftTemplateDto) template?: DraftTemplateDto;
}

export class TemplateResponse extends TemplateRefResponse {
  @ApiProperty({ type: [TemplateMessageDto] }) messages: TemplateMessageDto[];
  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: 'null for the shipped default' }) createdAt: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Who saved this version' }) createdBy: string | null;
}

export class EffectiveTemplateResponse extends TemplateResponse {
  @ApiProperty({ type: [String], example: ['question', 'passages', 'locale'] }) variables: string[];
}

export class TemplateListResponse {
  @ApiProperty({ type: [EffectiveTemplateResponse] }) data: EffectiveTemplateResponse[];
}

export class TemplateVersionsResponse {
  @ApiProperty({ type: [TemplateResponse] }) data: TemplateResponse[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

class RenderedMessageResponse {
  @ApiProperty({ enum: ['system', 'user', 'assistant'] }) role: string;
  @ApiProperty() content: string;
}

class PreviewTemplateRefResponse {
  @ApiProperty({ description: TEMPLATE_FEATURE_DESCRIPTION }) feature: string;
  @ApiProperty({ nullable: true, type: Number, description: 'null for a draft' }) version: number | null;
  @ApiProperty({ enum: ['default', 'tenant', 'draft'] }) source: string;
}

export class TemplatePreviewResponse {
  @ApiProperty({ type: [RenderedMessageResponse] }) messages: RenderedMessageResponse[];
  @ApiProperty({ description: 'Prompt tokens as the gateway counts them before a call' }) promptTokens: number;
  @ApiProperty({ type: PreviewTemplateRefResponse }) template: PreviewTemplateRefResponse;
}

export class UsageQueryDto {
  @ApiPropertyOptional({ format: 'date-time', description: 'Default: start of the current month (UTC)' }) @IsOptional() @IsISO8601({ strict: true }) from?: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'Exclusive; default: now' }) @IsOptional() @IsISO8601({ strict: true }) to?: string;
}

class TokenUsageResponse {
  @ApiProperty() promptTokens: number;
  @ApiProperty() completionTokens: number;
}

export class CompletionResponse {
  @ApiProperty() text: string;
  @ApiProperty() provider: string;
  @ApiProperty() model: string;
  @ApiProperty({ type: TokenUsageResponse }) usage: TokenUsageResponse;
  @ApiProperty({ nullable: true, type: String }) finishReason: string | null;
  @ApiProperty({ description: 'true when no language model wrote the answer (offline provider)' }) extractive: boolean;
  @ApiProperty({ nullable: true, type: String, description: 'Set when a budget passed its soft threshold' }) budgetWarning: string | null;
}

export class ExtractionResponse {
  @ApiProperty({ type: 'object', additionalProperties: true }) data: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' } }) confidence: Record<string, number>;
  @ApiProperty() provider: string;
  @ApiProperty() model: string;
  @ApiProperty() attempts: number;
  @ApiProperty() extractive: boolean;
  @ApiProperty({ nullable: true, type: String }) budgetWarning: string | null;
  @ApiProperty({ type: TemplateRefResponse }) template: TemplateRefResponse;
}

export class ProviderResponse {
  @ApiProperty() name: string;
  @ApiProperty({ enum: ['openai', 'anthropic', 'gemini'] }) kind: string;
  @ApiProperty({ nullable: true, type: String }) baseUrl: string | null;
  @ApiProperty({ nullable: true, type: String }) defaultModel: string | null;
  @ApiProperty() hasSecret: boolean;
  @ApiProperty({ nullable: true, type: String, example: '…WXYZ (sha256:1a2b3c4d)' }) secretHint: string | null;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class AiSettingsResponse {
  @ApiProperty() defaultProvider: string;
  @ApiProperty({ nullable: true, type: String }) defaultModel: string | null;
  @ApiProperty(FEATURE_ROUTES) features: Record<string, FeatureRouteDto>;
  @ApiProperty({ type: [String] }) fallback: string[];
  @ApiProperty({ type: [String] }) allowedModels: string[];
  @ApiProperty({ type: BudgetDto }) budget: BudgetDto;
  @ApiProperty({ type: RedactionDto }) redaction: RedactionDto;
  @ApiProperty() version: number;
  @ApiProperty({ nullable: true, type: String }) updatedAt: string | null;
  @ApiProperty({ type: [ProviderResponse] }) providers: ProviderResponse[];
  @ApiProperty({ type: 'object', properties: { tokens: { type: 'number' }, costMicroUsd: { type: 'number' } } }) monthToDate: { tokens: number; costMicroUsd: number };
}

class UsageGroupResponse {
  @ApiProperty({ example: '2026-11-22' }) day: string;
  @ApiProperty() feature: string;
  @ApiProperty() provider: string;
  @ApiProperty() model: string;
  @ApiProperty() calls: number;
  @ApiProperty() failures: number;
  @ApiProperty() promptTokens: number;
  @ApiProperty() completionTokens: number;
  @ApiProperty() costMicroUsd: number;
}

export class UsageResponse {
  @ApiProperty({ format: 'date-time' }) from: string;
  @ApiProperty({ format: 'date-time' }) to: string;
  @ApiProperty({ type: 'object', properties: { calls: { type: 'number' }, promptTokens: { type: 'number' }, completionTokens: { type: 'number' }, costMicroUsd: { type: 'number' } } }) totals: Record<string, number>;
  @ApiProperty({ type: [UsageGroupResponse] }) data: UsageGroupResponse[];
}
