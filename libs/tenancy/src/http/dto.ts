import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsEmail,
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
  IsDefined,
  IsObject,
  IsUUID,
} from 'class-validator';
import { IsLocale, IsTimeZone, PageQueryDto } from '@switchboard/platform';
import { API_KEY_SCOPES, ROLES, type Role } from '../domain/roles';

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export class OwnerDto {
  @ApiProperty({ example: 'owner@acme.example' }) @IsEmail() @MaxLength(254) email: string;
  @ApiProperty({ example: 'Olivia Owner' }) @IsString() @MinLength(1) @MaxLength(200) name: string;
  @ApiProperty({ minLength: 12, maxLength: 256 }) @IsString() @MinLength(12) @MaxLength(256) password: string;
}

export class CreateTenantDto {
  @ApiProperty({ example: 'Acme Plumbing' }) @IsString() @MinLength(1) @MaxLength(200) name: string;
  @ApiProperty({ example: 'acme', description: 'Lowercase letters, digits and dashes; unique' })
  @IsString()
  @Matches(SLUG, { message: 'must be lowercase letters, digits and inner dashes (at most 63)' })
  slug: string;
  @ApiPropertyOptional({ example: 'Europe/Berlin', default: 'UTC' }) @IsOptional() @IsTimeZone() timezone?: string;
  @ApiPropertyOptional({ example: 'en', default: 'en' }) @IsOptional() @IsLocale() locale?: string;
  @ApiProperty({ type: OwnerDto }) @IsDefined() @IsObject() @ValidateNested() @Type(() => OwnerDto) owner: OwnerDto;
}

export class UpdateTenantDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(200) name?: string;
  @ApiPropertyOptional() @IsOptional() @IsTimeZone() timezone?: string;
  @ApiPropertyOptional() @IsOptional() @IsLocale() locale?: string;
}

export class TenantResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() slug: string;
  @ApiProperty() name: string;
  @ApiProperty() timezone: string;
  @ApiProperty() locale: string;
  @ApiProperty({ enum: ['active', 'suspended', 'deleting'] }) status: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty() version: number;
}

export class TenantPageResponse {
  @ApiProperty({ type: [TenantResponse] }) data: TenantResponse[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class TenantListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['active', 'suspended', 'deleting'] }) @IsOptional() @IsIn(['active', 'suspended', 'deleting']) status?: 'active' | 'suspended' | 'deleting';
}

export class LoginDto {
  @ApiProperty({ example: 'owner@demo.switchboard.local' }) @IsString() @MaxLength(254) email: string;
  @ApiProperty() @IsString() @MaxLength(256) password: string;
  @ApiPropertyOptional({ description: 'Tenant slug; needed when the user belongs to several tenants' }) @IsOptional() @IsString() @MaxLength(63) tenant?: string;
}

export class RefreshDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(200) refreshToken: string;
}

export class SessionTenant {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() slug: string;
  @ApiProperty() name: string;
}

export class SessionResponse {
  @ApiProperty() accessToken: string;
  @ApiProperty({ description: 'Opaque; rotated on every refresh' }) refreshToken: string;
  @ApiProperty({ enum: ['Bearer'] }) tokenType: 'Bearer';
  @ApiProperty({ description: 'Seconds until the access token expires' }) expiresIn: number;
  @ApiProperty({ format: 'uuid', description: 'The sign-in session (GET /v1/me/sessions)' }) sessionId: string;
  @ApiProperty({ type: SessionTenant }) tenant: SessionTenant;
}

export class MeResponse {
  @ApiProperty({ enum: ['user', 'api-key'] }) kind: string;
  @ApiProperty({ nullable: true, type: Object }) user: { id: string; email: string; name: string } | null;
  @ApiProperty({ nullable: true, type: Object }) apiKey: { id: string; name: string } | null;
  @ApiProperty({ type: Object }) tenant: { id: string; slug: string; name: string; timezone: string; locale: string };
  @ApiProperty({ nullable: true, enum: ROLES }) role: string | null;
  @ApiProperty({ type: [String] }) permissions: readonly string[];
  @ApiProperty({ nullable: true, type: String }) impersonatedBy: string | null;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'boolean' }, description: 'Every feature flag’s answer for this caller, by name', example: { 'tickets.learn-contact-language': true } })
  flags: Record<string, boolean>;
}

export class CreateApiKeyDto {
  @ApiProperty({ example: 'CRM sync' }) @IsString() @MinLength(1) @MaxLength(100) name: string;
  @ApiProperty({ enum: API_KEY_SCOPES, isArray: true, example: ['tickets:read', 'tickets:write'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(API_KEY_SCOPES.length)
  @IsIn(API_KEY_SCOPES, { each: true, message: `each scope must be one of: ${API_KEY_SCOPES.join(', ')}` })
  scopes: string[];
}

export class ApiKeyResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ description: 'Visible start of the key, to recognise it' }) prefix: string;
  @ApiProperty({ type: [String] }) scopes: string[];
  @ApiProperty({ nullable: true, type: String }) createdBy: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) lastUsedAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) revokedAt: string | null;
}

export class CreatedApiKeyResponse extends ApiKeyResponse {
  @ApiProperty({ description: 'The secret key; shown only in this response' }) key: string;
}

export class MemberResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty() email: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ROLES }) role: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class ChangeRoleDto {
  @ApiProperty({ enum: ROLES }) @IsIn(ROLES) role: Role;
}

export class AuditLogQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'api_key' }) @IsOptional() @IsString() @MaxLength(100) entityType?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) entityId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) actorId?: string;
  @ApiPropertyOptional({ example: 'member.role_changed' }) @IsOptional() @IsString() @MaxLength(100) action?: string;
  @ApiPropertyOptional({ format: 'date-time' }) @IsOptional() @IsISO8601() from?: string;
  @ApiPropertyOptional({ format: 'date-time' }) @IsOptional() @IsISO8601() to?: string;
}

export class AuditLogResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['user', 'api_key', 'system', 'platform_admin'] }) actorType: string;
  @ApiProperty({ nullable: true, type: String }) actorId: string | null;
  @ApiProperty({ nullable: true, type: String }) impersonatorId: string | null;
  @ApiProperty() action: string;
  @ApiProperty() entityType: string;
  @ApiProperty({ nullable: true, type: String }) entityId: string | null;
  @ApiProperty({ type: Object, description: 'Field → { from, to }; secrets redacted' }) changes: Record<string, unknown>;
  @ApiProperty({ nullable: true, type: String }) requestId: string | null;
  @ApiProperty({ nullable: true, type: String }) ip: string | null;
  @ApiProperty({ nullable: true, type: String }) userAgent: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class AuditLogPageResponse {
  @ApiProperty({ type: [AuditLogResponse] }) data: AuditLogResponse[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class AddMemberDto {
  @ApiProperty({ example: 'agent@acme.example' }) @IsEmail() @MaxLength(254) email: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(200) name: string;
  @ApiProperty({ minLength: 12, description: 'Used only when the user is new; an existing user keeps theirs' }) @IsString() @MinLength(12) @MaxLength(256) password: string;
  @ApiProperty({ enum: ROLES }) @IsIn(ROLES) role: Role;
}

export class AddedMemberResponse {
  @ApiProperty({ format: 'uuid' }) membershipId: string;
  @ApiProperty({ format: 'uuid' }) userId: string;
}

export class InviteDto {
  @ApiProperty({ example: 'new.agent@acme.example' }) @IsEmail() @MaxLength(254) email: string;
  @ApiProperty({ enum: ROLES }) @IsIn(ROLES) role: Role;
}

export class InvitationResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() email: string;
  @ApiProperty({ enum: ROLES }) role: string;
  @ApiProperty({ nullable: true, type: String }) invitedBy: string | null;
  @ApiProperty({ enum: ['pending', 'accepted', 'revoked', 'expired'] }) status: string;
  @ApiProperty({ format: 'date-time' }) expiresAt: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class AcceptInvitationDto {
  @ApiProperty() @IsString() @MinLength(20) @MaxLength(200) token: string;
  @ApiPropertyOptional({ description: 'Required for a new account' }) @IsOptional() @IsString() @MinLength(1) @MaxLength(200) name?: string;
  @ApiPropertyOptional({ minLength: 12, description: 'Required for a new account' }) @IsOptional() @IsString() @MinLength(12) @MaxLength(256) password?: string;
}

export class ImpersonateDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() userId: string;
}

export class ImpersonationResponse {
  @ApiProperty() accessToken: string;
  @ApiProperty({ enum: ['Bearer'] }) tokenType: 'Bearer';
  @ApiProperty() expiresIn: number;
  @ApiProperty({ type: Object }) user: { id: string; email: string; name: string; role: string };
}
