import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsEmail, IsIn, IsInt, IsObject, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength, ValidateIf, ValidateNested } from 'class-validator';
import { CHANNEL_KINDS, CHANNEL_STATUSES, DELIVERY_STATUSES, INBOUND_STATUSES, type ChannelKind, type ChannelStatus, type DeliveryStatus, type InboundStatus } from '../domain/channel-kinds';
import type { WidgetSettings } from '../domain/widget';
import type { ChannelView, DeliveryView, InboundView } from '../repositories/channels.repository';

export class SmtpSettingsDto {
  @ApiProperty({ example: 'smtp.acme.example', maxLength: 253 }) @IsString() @Matches(/^[A-Za-z0-9.-]{1,253}$/, { message: 'host must be a host name or IPv4 address' }) host: string;
  @ApiProperty({ example: 587 }) @IsInt() @Min(1) @Max(65535) port: number;
  @ApiProperty({ description: 'true: TLS from the start (465); false: STARTTLS when offered (587)' }) @IsBoolean() secure: boolean;
  @ApiPropertyOptional({ maxLength: 320 }) @IsOptional() @IsString() @MinLength(1) @MaxLength(320) user?: string;
  @ApiPropertyOptional({ maxLength: 1000, description: 'Write-only: stored encrypted, never returned' }) @IsOptional() @IsString() @MinLength(1) @MaxLength(1000) pass?: string;
}

export class WhatsAppSettingsDto {
  @ApiProperty({ description: 'A Cloud API access token (a system user token). Write-only' }) @IsString() @MinLength(20) @MaxLength(1000) @Matches(/^[A-Za-z0-9_.|-]+$/, { message: 'accessToken has characters a Cloud API token does not' }) accessToken: string;
  @ApiProperty({ description: 'The Meta app secret that signs webhooks (X-Hub-Signature-256). Write-only' }) @IsString() @Matches(/^[A-Za-z0-9]{16,128}$/, { message: 'appSecret must be the app secret (letters and digits)' }) appSecret: string;
  @ApiProperty({ example: '106540352242922', description: 'The sending phone number’s id (not the number itself)' }) @IsString() @Matches(/^\d{5,30}$/, { message: 'phoneNumberId must be digits' }) phoneNumberId: string;
}

export class WhatsAppTemplateDto {
  @ApiProperty({ example: 'appointment_reminder', description: 'An approved template’s name' }) @IsString() @Matches(/^[a-z0-9_]{1,512}$/, { message: 'name must be a template name (lower case, digits, _)' }) name: string;
  @ApiProperty({ example: 'pt_BR', description: 'The template language code' }) @IsString() @Matches(/^[a-z]{2,3}(_[A-Z]{2})?$/, { message: 'language must look like en or pt_BR' }) language: string;
  @ApiProperty({ type: [String], maxItems: 20, description: 'Body parameters {{1}}, {{2}}, … in order' }) @IsArray() @ArrayMaxSize(20) @IsString({ each: true }) @MinLength(1, { each: true }) @MaxLength(1024, { each: true }) parameters: string[];
}

export class DeliveryTemplateResponse {
  @ApiProperty() name: string;
  @ApiProperty() language: string;
  @ApiProperty({ type: [String] }) parameters: string[];
  @ApiPropertyOptional() subject?: string;
  @ApiPropertyOptional() text?: string;
}

export class SendWhatsAppTemplateDto extends WhatsAppTemplateDto {
  @ApiProperty({ maxLength: 4096, description: 'What agents see on the ticket for this message (the template as the customer reads it)' }) @IsString() @MinLength(1) @MaxLength(4096) body: string;
}

const COLLECT = ['none', 'optional', 'required'] as const;

export class WidgetSettingsDto implements Partial<WidgetSettings> {
  @ApiPropertyOptional({ type: [String], maxItems: 20, example: ['https://www.acme.example'], description: 'Origins whose pages may embed the widget (scheme://host[:port]); "*" allows any. Required on create' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  allowedOrigins?: string[];
  @ApiPropertyOptional({ maxLength: 500, example: 'Hi! How can we help?' }) @IsOptional() @IsString() @MinLength(1) @MaxLength(500) greeting?: string;
  @ApiPropertyOptional({ example: '#1f6feb', description: 'The launcher’s and the visitor’s bubbles’ colour' }) @IsOptional() @IsString() @Matches(/^#[0-9a-fA-F]{6}$/, { message: 'color must be a hex colour like #1f6feb' }) color?: string;
  @ApiPropertyOptional({ enum: COLLECT, description: 'Whether the visitor is asked for name and email before the first message' }) @IsOptional() @IsIn(COLLECT) collectContact?: WidgetSettings['collectContact'];
}

export class WidgetSettingsResponse implements WidgetSettings {
  @ApiProperty({ type: [String] }) allowedOrigins: string[];
  @ApiProperty() greeting: string;
  @ApiProperty() color: string;
  @ApiProperty({ enum: COLLECT }) collectContact: WidgetSettings['collectContact'];
}

export class CreateChannelDto {
  @ApiProperty({ enum: CHANNEL_KINDS, description: 'email and telegram are available' }) @IsIn(CHANNEL_KINDS) kind: ChannelKind;
  @ApiProperty({ maxLength: 100, example: 'Support inbox' }) @IsString() @MinLength(1) @MaxLength(100) name: string;
  @ApiPropertyOptional({ example: 'support@acme.example', description: 'Email (required): the inbound address (unique across tenants); replies carry support+t_<token>@…' })
  @ValidateIf((o: CreateChannelDto) => o.kind === 'email' || o.address !== undefined)
  @IsEmail()
  @MaxLength(254)
  address?: string;
  @ApiPropertyOptional({ example: '123456789:AAE…', description: 'Telegram (required): the bot token from @BotFather. Write-only: stored encrypted, never returned' })
  @ValidateIf((o: CreateChannelDto) => o.kind === 'telegram' || o.botToken !== undefined)
  @IsString()
  @Matches(/^\d{1,20}:[A-Za-z0-9_-]{20,200}$/, { message: 'botToken must look like 123456789:AA… (from @BotFather)' })
  botToken?: string;
  @ApiPropertyOptional({ type: WhatsAppSettingsDto, description: 'WhatsApp (required): the Cloud API credentials. Write-only' })
  @ValidateIf((o: CreateChannelDto) => o.kind === 'whatsapp' || o.whatsapp !== undefined)
  @IsObject()
  @ValidateNested()
  @Type(() => WhatsAppSettingsDto)
  whatsapp?: WhatsAppSettingsDto;
  @ApiPropertyOptional({ type: WidgetSettingsDto, description: 'Web (required, with allowedOrigins): the chat widget’s settings' })
  @ValidateIf((o: CreateChannelDto) => o.kind === 'web' || o.widget !== undefined)
  @IsObject()
  @ValidateNested()
  @Type(() => WidgetSettingsDto)
  widget?: WidgetSettingsDto;
  @ApiPropertyOptional({ maxLength: 100, example: 'Acme Support' }) @IsOptional() @IsString() @MaxLength(100) fromName?: string;
  @ApiPropertyOptional({ maxLength: 4000, description: 'Appended to every reply (the group signature, until groups exist)' }) @IsOptional() @IsString() @MaxLength(4000) signature?: string;
  @ApiPropertyOptional({ type: SmtpSettingsDto, description: 'Outbound SMTP; absent: the platform default (CHANNELS_SMTP_URL)' }) @IsOptional() @IsObject() @ValidateNested() @Type(() => SmtpSettingsDto) smtp?: SmtpSettingsDto;
}

export class UpdateChannelDto {
  @ApiPropertyOptional({ maxLength: 100 }) @IsOptional() @IsString() @MinLength(1) @MaxLength(100) name?: string;
  @ApiPropertyOptional({ enum: CHANNEL_STATUSES }) @IsOptional() @IsIn(CHANNEL_STATUSES) status?: ChannelStatus;
  @ApiPropertyOptional({ maxLength: 100, nullable: true, type: String }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsString() @MaxLength(100) fromName?: string | null;
  @ApiPropertyOptional({ maxLength: 4000, nullable: true, type: String }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsString() @MaxLength(4000) signature?: string | null;
  @ApiPropertyOptional({ type: SmtpSettingsDto, nullable: true, description: 'Replaces the SMTP settings; null: the platform default' })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsObject()
  @ValidateNested()
  @Type(() => SmtpSettingsDto)
  smtp?: SmtpSettingsDto | null;
  @ApiPropertyOptional({ description: 'Generates a new webhook secret, returned once in this response' }) @IsOptional() @IsBoolean() rotateWebhookSecret?: boolean;
  @ApiPropertyOptional({ description: 'Telegram: replaces the bot token (write-only)' })
  @IsOptional()
  @IsString()
  @Matches(/^\d{1,20}:[A-Za-z0-9_-]{20,200}$/, { message: 'botToken must look like 123456789:AA… (from @BotFather)' })
  botToken?: string;
  @ApiPropertyOptional({ type: WhatsAppSettingsDto, description: 'WhatsApp: replaces the Cloud API credentials (write-only)' }) @IsOptional() @IsObject() @ValidateNested() @Type(() => WhatsAppSettingsDto) whatsapp?: WhatsAppSettingsDto;
  @ApiPropertyOptional({ type: WidgetSettingsDto, description: 'Web: changes the widget’s settings (given fields replace, the rest stay)' }) @IsOptional() @IsObject() @ValidateNested() @Type(() => WidgetSettingsDto) widget?: WidgetSettingsDto;
}

export class ChannelResponse implements ChannelView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: CHANNEL_KINDS }) kind: ChannelKind;
  @ApiProperty() name: string;
  @ApiProperty({ enum: CHANNEL_STATUSES }) status: ChannelStatus;
  @ApiProperty({ nullable: true, type: String }) address: string | null;
  @ApiProperty({ nullable: true, type: String }) fromName: string | null;
  @ApiProperty({ nullable: true, type: String }) signature: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Web: the key the embed snippet names (public)' }) publicKey: string | null;
  @ApiProperty({ nullable: true, type: () => WidgetSettingsResponse }) widget: WidgetSettingsResponse | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty() version: number;
}

export class ChannelWithSecretResponse extends ChannelResponse {
  @ApiPropertyOptional({ description: 'Shown once (on create and on rotation), never again' }) webhookSecret?: string;
  @ApiProperty({ nullable: true, type: String, description: 'Where the inbound webhook posts: /inbound/email (raw MIME, multipart field "email" or "body-mime"), /inbound/telegram (Bot API updates), /inbound/whatsapp; null for web channels' }) webhookUrl: string | null;
  @ApiPropertyOptional({ description: 'Web: the <script> tag that embeds the widget (its src is relative to the api’s public URL)' }) embedSnippet?: string;
}

export class ChannelListResponse {
  @ApiProperty({ type: [ChannelResponse] }) data: ChannelResponse[];
}

export class DeliveryResponse implements DeliveryView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) channelId: string;
  @ApiProperty({ format: 'uuid' }) ticketId: string;
  @ApiProperty({ format: 'uuid' }) ticketMessageId: string;
  @ApiProperty() recipient: string;
  @ApiProperty({ enum: DELIVERY_STATUSES }) status: DeliveryStatus;
  @ApiProperty() attempts: number;
  @ApiProperty({ format: 'date-time' }) nextAttemptAt: string;
  @ApiProperty({ nullable: true, type: String, description: 'The Message-ID the mail carries (fixed before the first attempt)' }) messageId: string | null;
  @ApiProperty({ nullable: true, type: String }) providerMessageId: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The provider’s reason for the last failure' }) error: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) sentAt: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) failedAt: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty({ nullable: true, type: () => DeliveryTemplateResponse, description: 'A WhatsApp template, or a rendered message template (the contact form’s confirmation), sent instead of the message text' }) template: DeliveryTemplateResponse | null;
}

export class DeliveryListResponse {
  @ApiProperty({ type: [DeliveryResponse] }) data: DeliveryResponse[];
}

const limit = () => Transform(({ value }) => (value === undefined ? 50 : /^\d{1,3}$/.test(String(value)) ? Number(value) : value));

export class DeliveryListQueryDto {
  @ApiPropertyOptional({ enum: DELIVERY_STATUSES, description: 'failed: the dead-letter list' }) @IsOptional() @IsIn(DELIVERY_STATUSES) status?: DeliveryStatus;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() ticketId?: string;
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 50 }) @IsOptional() @limit() @IsInt() @Min(1) @Max(100) limit: number = 50;
}

export class InboundResponse implements InboundView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) channelId: string;
  @ApiProperty({ description: 'The Message-ID (or a content hash when it had none)' }) externalId: string;
  @ApiProperty() sender: string;
  @ApiProperty({ nullable: true, type: String }) subject: string | null;
  @ApiProperty({ enum: ['webhook', 'smtp'] }) receivedVia: 'webhook' | 'smtp';
  @ApiProperty() size: number;
  @ApiProperty({ enum: INBOUND_STATUSES }) status: InboundStatus;
  @ApiProperty({ nullable: true, enum: ['message', 'auto_reply', 'bounce', 'delivery_report', 'loop'] }) classification: InboundView['classification'];
  @ApiProperty({ format: 'date-time', description: 'When it may be processed (its sender is paced)' }) notBefore: string;
  @ApiProperty() attempts: number;
  @ApiProperty({ nullable: true, type: String }) error: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) ticketId: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) ticketMessageId: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) processedAt: string | null;
}

export class InboundListResponse {
  @ApiProperty({ type: [InboundResponse] }) data: InboundResponse[];
}

export class InboundListQueryDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() ticketId?: string;
  @ApiPropertyOptional({ enum: INBOUND_STATUSES }) @IsOptional() @IsIn(INBOUND_STATUSES) status?: InboundStatus;
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 50 }) @IsOptional() @limit() @IsInt() @Min(1) @Max(100) limit: number = 50;
}

export class AcceptedInboundResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ description: 'true: this Message-ID was received before; nothing new was stored' }) duplicate: boolean;
  @ApiProperty({ format: 'date-time' }) notBefore: string;
}

export class AcceptedWhatsAppWebhookResponse {
  @ApiProperty({ type: [String], description: 'Inbound rows stored by this call (new messages)' }) stored: string[];
  @ApiProperty({ description: 'Messages received before (same wamid); nothing new stored' }) duplicates: number;
  @ApiProperty({ description: 'Statuses that moved a delivery' }) statuses: number;
  @ApiProperty({ description: 'Messages and statuses for another phone number id' }) ignored: number;
}

export class AcceptedChatUpdateResponse {
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The stored inbound row; null when the update carried nothing to keep' }) id: string | null;
  @ApiProperty({ description: 'true: this update was received before; nothing new was stored' }) duplicate: boolean;
  @ApiProperty({ description: 'true: an update kind that does not become ticket activity (an edit, a callback)' }) ignored: boolean;
}
