import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsEmail, IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength, ValidateIf } from 'class-validator';

const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

export class SsoSettingsDto {
  @ApiPropertyOptional({ enum: ['oidc', 'saml'], default: 'oidc' }) @IsOptional() @IsIn(['oidc', 'saml']) protocol?: 'oidc' | 'saml';
  @ApiPropertyOptional({ default: true, description: 'Off: sign-in through the IdP is refused, settings kept' }) @IsOptional() @IsBoolean() enabled?: boolean;
  @ApiProperty({
    example: 'https://login.acme.example',
    description: 'OIDC: the issuer URL (its /.well-known/openid-configuration is read). SAML: the IdP’s entity id',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  @Matches(/^\S+$/, { message: 'must not contain spaces' })
  issuer: string;
  @ApiPropertyOptional({ example: 'switchboard', description: 'OIDC: required' }) @IsOptional() @IsString() @MinLength(1) @MaxLength(500) clientId?: string;
  @ApiPropertyOptional({ example: 'https://idp.acme.example/sso/saml', description: 'SAML: the IdP’s single sign-on URL (HTTP-Redirect binding); required' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  @Matches(/^https?:\/\/\S+$/, { message: 'must be an http(s) URL' })
  samlEntryPoint?: string;
  @ApiPropertyOptional({ description: 'SAML: the IdP’s signing certificate (or public key), PEM; required' }) @IsOptional() @IsString() @MaxLength(20000) samlIdpCert?: string;
  @ApiPropertyOptional({ nullable: true, description: 'Write-only. Omit to keep the stored one, null for a public client (PKCE only)' })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  clientSecret?: string | null;
  @ApiProperty({ example: ['acme.example'], description: 'Email domains this IdP speaks for; unique across tenants' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @Matches(DOMAIN, { each: true, message: 'each must be a lowercase domain name such as acme.example' })
  domains: string[];
  @ApiPropertyOptional({ default: true, description: 'Create a member on first sign-in' }) @IsOptional() @IsBoolean() jitProvisioning?: boolean;
  @ApiPropertyOptional({ enum: ['admin', 'agent', 'technician', 'viewer'], default: 'viewer', description: 'Role of members created just in time or by SCIM' })
  @IsOptional()
  @IsIn(['admin', 'agent', 'technician', 'viewer'])
  defaultRole?: 'admin' | 'agent' | 'technician' | 'viewer';
  @ApiPropertyOptional({ default: false, description: 'Refuse passwords for this tenant’s members, except the break-glass owner' }) @IsOptional() @IsBoolean() ssoOnly?: boolean;
  @ApiPropertyOptional({ nullable: true, description: 'User id of an owner who may still sign in with a password' })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsUUID()
  breakGlassUserId?: string | null;
}

export class SsoConnectionResponse {
  @ApiProperty({ enum: ['oidc', 'saml'] }) protocol: 'oidc' | 'saml';
  @ApiProperty() enabled: boolean;
  @ApiProperty() issuer: string;
  @ApiProperty({ nullable: true, type: String }) clientId: string | null;
  @ApiProperty({ description: 'Whether a client secret is stored (it is never returned)' }) clientSecretSet: boolean;
  @ApiProperty({ nullable: true, type: String }) samlEntryPoint: string | null;
  @ApiProperty({ nullable: true, type: String }) samlIdpCert: string | null;
  @ApiProperty({ type: [String] }) domains: string[];
  @ApiProperty() jitProvisioning: boolean;
  @ApiProperty({ enum: ['admin', 'agent', 'technician', 'viewer'] }) defaultRole: string;
  @ApiProperty() ssoOnly: boolean;
  @ApiProperty({ nullable: true, type: String }) breakGlassUserId: string | null;
  @ApiProperty() updatedAt: string;
  @ApiProperty() version: number;
  @ApiProperty({ description: 'OIDC: register this redirect URI at the identity provider' }) redirectUri: string;
  @ApiProperty({ description: 'SAML: the assertion consumer service URL (HTTP-POST) to register' }) acsUrl: string;
  @ApiProperty({ description: 'SAML: this service provider’s entity id (the audience); its metadata is served at this URL' }) spEntityId: string;
  @ApiProperty({ description: 'Where a browser starts signing in to this tenant' }) startUrl: string;
}

export class SsoDiscoverDto {
  @ApiProperty({ example: 'ada@acme.example' }) @IsEmail() @MaxLength(254) email: string;
}

export class SsoDiscoverResponse {
  @ApiProperty({ type: Object, example: { slug: 'acme', name: 'Acme' } }) tenant: { slug: string; name: string };
  @ApiProperty({ enum: ['oidc', 'saml'] }) protocol: 'oidc' | 'saml';
  @ApiProperty({ example: '/v1/auth/sso/acme/start' }) startUrl: string;
}

export class SsoExchangeDto {
  @ApiProperty({ description: 'The one-time code from /console#sso=<code>' }) @IsString() @MinLength(20) @MaxLength(200) code: string;
}
