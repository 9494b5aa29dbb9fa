import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { Public, RateLimit, type SwitchboardRequest } from '@switchboard/platform';
import type { Session } from '../auth/session-issuer';
import { ConfirmTotpCommand, type EnrolmentResult } from '../commands/confirm-totp/confirm-totp.command';
import { FinishWebAuthnRegistrationCommand } from '../commands/finish-webauthn-registration/finish-webauthn-registration.command';
import { StartTotpEnrolmentCommand, type TotpProvisioning } from '../commands/start-totp-enrolment/start-totp-enrolment.command';
import { StartWebAuthnRegistrationCommand } from '../commands/start-webauthn-registration/start-webauthn-registration.command';
import { VerifyTwoFactorCommand } from '../commands/verify-two-factor/verify-two-factor.command';
import { WebAuthnSignInOptionsCommand } from '../commands/webauthn-sign-in-options/webauthn-sign-in-options.command';
import { SessionResponse } from './dto';
import {
  ChallengeConfirmTotpDto,
  ChallengeDto,
  ChallengeRegisterWebAuthnDto,
  EnrolmentResponse,
  proofOf,
  TotpProvisioningResponse,
  VerifyTwoFactorDto,
  WebAuthnEnrolmentResponse,
} from './two-factor.dto';
import { clientOf } from './user-principal';

/**
 * The second step of a sign-in, after POST /v1/auth/login answered with a challenge: prove an
 * enrolled factor (`two-factor-required`) or enrol one now (`enrolment-required`).
 */
@ApiTags('Authentication')
@Controller('auth/two-factor')
export class TwoFactorSignInController {
  constructor(private readonly commands: CommandBus) {}

  @Post('verify')
  @Public()
  @RateLimit('auth')
  @HttpCode(200)
  @ApiOperation({ summary: 'Second sign-in step: an authenticator code, a recovery code or a security-key assertion → session' })
  @ApiOkResponse({ type: SessionResponse })
  @ApiBadRequestResponse({ description: 'Not exactly one proof, or a challenge for the enrolment step' })
  @ApiUnauthorizedResponse({ description: 'Wrong, replayed or used code; expired or spent challenge (failures count into the lockout)' })
  @ApiTooManyRequestsResponse({ description: 'Too many failed sign-ins for this account' })
  verify(@Body() body: VerifyTwoFactorDto, @Req() req: SwitchboardRequest): Promise<Session> {
    return this.commands.execute(new VerifyTwoFactorCommand(body.challengeToken, proofOf(body), clientOf(req)));
  }

  @Post('webauthn/options')
  @Public()
  @RateLimit('auth')
  @HttpCode(200)
  @ApiOperation({ summary: 'Options for navigator.credentials.get() to answer the second step with a security key or passkey' })
  @ApiOkResponse({ type: Object })
  webauthnOptions(@Body() body: ChallengeDto, @Req() req: SwitchboardRequest) {
    return this.commands.execute(new WebAuthnSignInOptionsCommand(body.challengeToken, clientOf(req).requestId));
  }

  @Post('totp/setup')
  @Public()
  @RateLimit('auth')
  @HttpCode(200)
  @ApiOperation({ summary: 'Enrol now (the tenant requires two-factor): a new authenticator-app secret and its QR code' })
  @ApiOkResponse({ type: TotpProvisioningResponse })
  totpSetup(@Body() body: ChallengeDto, @Req() req: SwitchboardRequest): Promise<TotpProvisioning> {
    return this.commands.execute(new StartTotpEnrolmentCommand({ via: 'challenge', challengeToken: body.challengeToken, client: clientOf(req) }));
  }

  @Post('totp/confirm')
  @Public()
  @RateLimit('auth')
  @HttpCode(200)
  @ApiOperation({ summary: 'Enrol now: a code from the new secret turns it on and completes the sign-in (recovery codes shown once)' })
  @ApiOkResponse({ type: EnrolmentResponse })
  totpConfirm(@Body() body: ChallengeConfirmTotpDto, @Req() req: SwitchboardRequest): Promise<EnrolmentResult> {
    return this.commands.execute(new ConfirmTotpCommand({ via: 'challenge', challengeToken: body.challengeToken, client: clientOf(req) }, body.code));
  }

  @Post('webauthn/registration-options')
  @Public()
  @RateLimit('auth')
  @HttpCode(200)
  @ApiOperation({ summary: 'Enrol now with a security key: options for navigator.credentials.create()' })
  @ApiOkResponse({ type: Object })
  webauthnRegistrationOptions(@Body() body: ChallengeDto, @Req() req: SwitchboardRequest) {
    return this.commands.execute(new StartWebAuthnRegistrationCommand({ via: 'challenge', challengeToken: body.challengeToken, client: clientOf(req) }));
  }

  @Post('webauthn/registration')
  @Public()
  @RateLimit('auth')
  @HttpCode(200)
  @ApiOperation({ summary: 'Enrol now with a security key: the key’s response completes the sign-in (recovery codes shown once)' })
  @ApiOkResponse({ type: WebAuthnEnrolmentResponse })
  webauthnRegistration(@Body() body: ChallengeRegisterWebAuthnDto, @Req() req: SwitchboardRequest) {
    return this.commands.execute(
      new FinishWebAuthnRegistrationCommand({ via: 'challenge', challengeToken: body.challengeToken, client: clientOf(req) }, body.name, body.response),
    );
  }
}
