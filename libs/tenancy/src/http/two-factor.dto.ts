import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsObject, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { ProblemException } from '@switchboard/platform';
import type { SecondFactorProof } from '../commands/verify-two-factor/verify-two-factor.command';
import { SessionResponse, SessionTenant } from './dto';

export class ChallengeDto {
  @ApiProperty({ description: 'The challengeToken from POST /v1/auth/login' }) @IsString() @MinLength(20) @MaxLength(2000) challengeToken: string;
}

export class VerifyTwoFactorDto extends ChallengeDto {
  @ApiPropertyOptional({ example: '492039', description: 'A code from the authenticator app' }) @IsOptional() @IsString() @MaxLength(20) code?: string;
  @ApiPropertyOptional({ example: 'k3v9q-7hx2m', description: 'One of the recovery codes (each works once)' }) @IsOptional() @IsString() @MaxLength(40) recoveryCode?: string;
  @ApiPropertyOptional({ type: Object, description: 'The AuthenticationResponseJSON of navigator.credentials.get() with the options from /v1/auth/two-factor/webauthn/options' })
  @IsOptional()
  @IsObject()
  webauthn?: Record<string, unknown>;
}

/** Exactly one of code, recoveryCode and webauthn. */
export function proofOf(body: VerifyTwoFactorDto): SecondFactorProof {
  const given = [body.code !== undefined, body.recoveryCode !== undefined, body.webauthn !== undefined].filter(Boolean).length;
  if (given !== 1) {
    throw new ProblemException({
      status: 400,
      type: 'validation-failed',
      title: 'Bad Request',
      detail: 'Send exactly one of "code", "recoveryCode" and "webauthn".',
      errors: [{ field: 'code', message: given === 0 ? 'one of code, recoveryCode or webauthn is required' : 'only one of code, recoveryCode or webauthn may be sent' }],
    });
  }
  if (body.code !== undefined) return { kind: 'totp', code: body.code };
  if (body.recoveryCode !== undefined) return { kind: 'recovery_code', code: body.recoveryCode };
  return { kind: 'webauthn', response: body.webauthn! };
}

export class ConfirmTotpDto {
  @ApiProperty({ example: '492039' }) @IsString() @MinLength(1) @MaxLength(20) code: string;
}

export class ChallengeConfirmTotpDto extends ChallengeDto {
  @ApiProperty({ example: '492039' }) @IsString() @MinLength(1) @MaxLength(20) code: string;
}

export class RegisterWebAuthnDto {
  @ApiProperty({ example: 'YubiKey 5C' }) @IsString() @MinLength(1) @MaxLength(100) name: string;
  @ApiProperty({ type: Object, description: 'The RegistrationResponseJSON of navigator.credentials.create()' }) @IsObject() response: Record<string, unknown>;
}

export class ChallengeRegisterWebAuthnDto extends RegisterWebAuthnDto {
  @ApiProperty({ description: 'The challengeToken from POST /v1/auth/login' }) @IsString() @MinLength(20) @MaxLength(2000) challengeToken: string;
}

export class PasswordDto {
  @ApiProperty({ description: 'The current password, asked again before credentials change' }) @IsString() @MinLength(1) @MaxLength(256) password: string;
}

export class ChangePasswordDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(256) currentPassword: string;
  @ApiProperty({ minLength: 12, maxLength: 256, description: 'At least 12 characters, not one of the most common passwords; no composition rules' })
  @IsString()
  @MinLength(12)
  @MaxLength(256)
  newPassword: string;
}

export class TwoFactorRequirementDto {
  @ApiProperty({ example: true }) @IsBoolean() requireTwoFactor: boolean;
}

export class TwoFactorRequirementResponse {
  @ApiProperty() requireTwoFactor: boolean;
}

export class SignInChallengeResponse {
  @ApiProperty({ enum: ['two-factor-required', 'enrolment-required'] }) status: string;
  @ApiProperty({ description: 'Short-lived; only the /v1/auth/two-factor routes accept it' }) challengeToken: string;
  @ApiProperty() expiresIn: number;
  @ApiProperty({ type: [String], example: ['totp', 'webauthn', 'recovery_code'] }) methods: string[];
  @ApiProperty({ type: SessionTenant }) tenant: SessionTenant;
}

export class SsoContinuationResponse {
  @ApiProperty({ enum: ['sso-required'] }) status: string;
  @ApiProperty({ example: '/v1/auth/sso/acme/start', description: 'Open it in the browser to sign in through the identity provider' }) startUrl: string;
  @ApiProperty({ type: SessionTenant }) tenant: SessionTenant;
}

export class TotpProvisioningResponse {
  @ApiProperty({ example: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' }) secret: string;
  @ApiProperty({ example: 'otpauth://totp/Switchboard:ada%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=Switchboard' }) otpauthUri: string;
  @ApiProperty({ description: 'PNG data URL of the URI as a QR code' }) qrCode: string;
}

export class EnrolmentResponse {
  @ApiProperty({ type: [String], nullable: true, description: 'Shown once: the first factor comes with ten single-use recovery codes' }) recoveryCodes: string[] | null;
  @ApiProperty({ type: SessionResponse, nullable: true, description: 'On the enrol-now path: the completed sign-in' }) session: SessionResponse | null;
}

export class WebAuthnCredentialResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) lastUsedAt: string | null;
}

export class WebAuthnEnrolmentResponse extends EnrolmentResponse {
  @ApiProperty({ type: WebAuthnCredentialResponse }) credential: WebAuthnCredentialResponse;
}

export class TwoFactorStatusResponse {
  @ApiProperty() enabled: boolean;
  @ApiProperty() totp: boolean;
  @ApiProperty({ type: [WebAuthnCredentialResponse] }) webauthn: WebAuthnCredentialResponse[];
  @ApiProperty() recoveryCodesLeft: number;
  @ApiProperty() requiredByTenant: boolean;
}

export class RecoveryCodesResponse {
  @ApiProperty({ type: [String] }) recoveryCodes: string[];
}

export class SessionListItemResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'password+totp' }) method: string;
  @ApiProperty({ nullable: true, type: String }) ip: string | null;
  @ApiProperty({ nullable: true, type: String }) userAgent: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) lastUsedAt: string;
  @ApiProperty({ format: 'date-time' }) expiresAt: string;
  @ApiProperty({ description: 'The session of the access token making this request' }) current: boolean;
}

export class SessionListResponse {
  @ApiProperty({ type: [SessionListItemResponse] }) data: SessionListItemResponse[];
}

export class RevokedSessionsResponse {
  @ApiProperty() revoked: number;
}
