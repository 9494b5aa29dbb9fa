import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsEmail, IsInt, IsObject, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';

export class ContactFormFieldDto {
  @ApiProperty({ example: 'order_number' }) @IsString() @Matches(/^[a-z][a-z0-9_]{0,39}$/, { message: 'key must be lower case letters, digits and _' }) key: string;
  @ApiProperty({ example: 'Order number' }) @IsString() @MinLength(1) @MaxLength(100) label: string;
  @ApiProperty() @IsBoolean() required: boolean;
  @ApiProperty({ minimum: 1, maximum: 5000 }) @IsInt() @Min(1) @Max(5000) maxLength: number;
}

export class ContactFormSettingsDto {
  @ApiProperty() @IsBoolean() enabled: boolean;
  @ApiProperty({ type: [ContactFormFieldDto], maxItems: 20 }) @IsArray() @ArrayMaxSize(20) @ValidateNested({ each: true }) @Type(() => ContactFormFieldDto) fields: ContactFormFieldDto[];
  @ApiProperty({ minimum: 1, maximum: 10000, default: 5, description: 'Submissions per IP address and hour' }) @IsInt() @Min(1) @Max(10000) perIpPerHour: number;
  @ApiProperty({ minimum: 0, maximum: 3600, default: 3, description: 'Seconds between showing the form and a submission a person could make' }) @IsInt() @Min(0) @Max(3600) minFillSeconds: number;
}

export class ContactFormSettingsResponse extends ContactFormSettingsDto {
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) updatedAt: string | null;
  @ApiProperty({ description: '0 until first saved' }) version: number;
}

export class PublicContactFormFieldResponse extends ContactFormFieldDto {
  @ApiProperty() builtIn: boolean;
}

export class PublicContactFormResponse {
  @ApiProperty({ type: 'object', properties: { name: { type: 'string' }, locale: { type: 'string' } } }) tenant: { name: string; locale: string };
  @ApiProperty({ type: [PublicContactFormFieldResponse] }) fields: PublicContactFormFieldResponse[];
  @ApiProperty({ description: 'Send back as formToken' }) formToken: string;
  @ApiProperty() minFillSeconds: number;
  @ApiProperty({ enum: ['website'], description: 'Render this field hidden; people leave it empty' }) honeypot: 'website';
}

export class SubmitContactFormDto {
  @ApiProperty({ description: 'From GET /v1/contact-form/{tenantSlug}' }) @IsString() @MinLength(10) @MaxLength(300) formToken: string;
  @ApiProperty({ maxLength: 200 }) @IsString() @MinLength(1) @MaxLength(200) name: string;
  @ApiProperty({ maxLength: 254 }) @IsEmail() @MaxLength(254) email: string;
  @ApiProperty({ maxLength: 20000 }) @IsString() @MinLength(1) @MaxLength(20000) message: string;
  @ApiPropertyOptional({ maxLength: 250 }) @IsOptional() @IsString() @MaxLength(250) subject?: string;
  @ApiPropertyOptional({ maxLength: 50 }) @IsOptional() @IsString() @MaxLength(50) phone?: string;
  @ApiPropertyOptional({ maxLength: 200 }) @IsOptional() @IsString() @MaxLength(200) company?: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' }, description: 'The tenant’s extra fields by key' }) @IsOptional() @IsObject() fields?: Record<string, string>;
  @ApiPropertyOptional({ description: 'The honeypot: leave empty' }) @IsOptional() @IsString() @MaxLength(1000) website?: string;
  @ApiPropertyOptional({ example: 'pt-BR', description: 'The visitor’s language, for the confirmation mail' }) @IsOptional() @IsString() @Matches(/^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8}){0,3}$/, { message: 'locale must be a language tag such as pt-BR' }) locale?: string;
}

export class ContactFormReceiptResponse {
  @ApiProperty({ enum: [true] }) received: true;
  @ApiProperty({ nullable: true, type: Number, description: 'The ticket’s number to quote' }) ticketNumber: number | null;
}

export class SaveMessageTemplateDto {
  @ApiPropertyOptional({ nullable: true, type: String, maxLength: 500, description: 'Required for templates with a subject (mail); absent otherwise' }) @IsOptional() @IsString() @MaxLength(500) subject?: string | null;
  @ApiProperty({ maxLength: 20000, description: 'The text, with {{placeholders}} of the key' }) @IsString() @MinLength(1) @MaxLength(20000) body: string;
}

export class MessageTemplateResponse {
  @ApiProperty() key: string;
  @ApiProperty() locale: string;
  @ApiProperty({ nullable: true, type: String }) subject: string | null;
  @ApiProperty() body: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty() version: number;
}

export class TemplateKeyResponse {
  @ApiProperty() key: string;
  @ApiProperty() description: string;
  @ApiProperty({ type: [String] }) placeholders: string[];
  @ApiProperty() subject: boolean;
}

export class MessageTemplateCatalogResponse {
  @ApiProperty({ type: [TemplateKeyResponse] }) keys: TemplateKeyResponse[];
  @ApiProperty({ type: [String] }) uiStringKeys: string[];
  @ApiProperty({ type: [MessageTemplateResponse] }) data: MessageTemplateResponse[];
}

export class PreviewMessageTemplateDto {
  @ApiPropertyOptional({ example: 'pt-BR' }) @IsOptional() @IsString() @MaxLength(35) locale?: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' }, description: 'Placeholder values; the key’s samples fill the rest' }) @IsOptional() @IsObject() data?: Record<string, string>;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'A draft subject to render instead of the saved template' }) @IsOptional() @IsString() @MaxLength(500) subject?: string | null;
  @ApiPropertyOptional({ description: 'A draft body to render instead of the saved template' }) @IsOptional() @IsString() @MinLength(1) @MaxLength(20000) body?: string;
}

export class TemplatePreviewResponse {
  @ApiProperty() key: string;
  @ApiProperty() locale: string;
  @ApiProperty({ enum: ['draft', 'tenant', 'shipped'] }) source: 'draft' | 'tenant' | 'shipped';
  @ApiProperty({ nullable: true, type: String }) subject: string | null;
  @ApiProperty() body: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) data: Record<string, string>;
}

export class UiStringsResponse {
  @ApiProperty({ type: [String], description: 'The locales looked at, in order' }) locales: string[];
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) strings: Record<string, string>;
}
