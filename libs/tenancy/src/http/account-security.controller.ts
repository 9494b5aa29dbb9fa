import { Body, Controller, Delete, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, ParseUuidPipe, type SwitchboardRequest } from '@switchboard/platform';
import { ChangePasswordCommand } from '../commands/change-password/change-password.command';
import { ConfirmTotpCommand, type EnrolmentResult } from '../commands/confirm-totp/confirm-totp.command';
import { FinishWebAuthnRegistrationCommand } from '../commands/finish-webauthn-registration/finish-webauthn-registration.command';
import { RegenerateRecoveryCodesCommand } from '../commands/regenerate-recovery-codes/regenerate-recovery-codes.command';
import { RemoveWebAuthnCredentialCommand } from '../commands/remove-webauthn-credential/remove-webauthn-credential.command';
import { ResetTwoFactorCommand } from '../commands/reset-two-factor/reset-two-factor.command';
import { RevokeSessionCommand } from '../commands/revoke-session/revoke-session.command';
import { StartTotpEnrolmentCommand, type TotpProvisioning } from '../commands/start-totp-enrolment/start-totp-enrolment.command';
import { StartWebAuthnRegistrationCommand } from '../commands/start-webauthn-registration/start-webauthn-registration.command';
import { GetTwoFactorStatusQuery, type TwoFactorStatusView } from '../queries/get-two-factor-status/get-two-factor-status.query';
import { ListSessionsQuery, type SessionListItem } from '../queries/list-sessions/list-sessions.query';
import {
  ChangePasswordDto,
  ConfirmTotpDto,
  EnrolmentResponse,
  PasswordDto,
  RecoveryCodesResponse,
  RegisterWebAuthnDto,
  SessionListResponse,
  TotpProvisioningResponse,
  TwoFactorStatusResponse,
  WebAuthnEnrolmentResponse,
} from './two-factor.dto';
import { userOf } from './user-principal';

/** The signed-in user's own sign-in: second factors, recovery codes, sessions and password. */
@ApiTags('Account security')
@Controller('me')
@Authenticated()
export class AccountSecurityController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get('two-factor')
  @ApiOperation({ summary: 'Which second factors are on, how many recovery codes are left, and whether the tenant requires two-factor' })
  @ApiOkResponse({ type: TwoFactorStatusResponse })
  status(@Req() req: SwitchboardRequest): Promise<TwoFactorStatusView> {
    const { context } = userOf(req);
    return this.queries.execute(new GetTwoFactorStatusQuery(context.tenantId, context.actorId!));
  }

  @Post('two-factor/totp')
  @HttpCode(200)
  @ApiOperation({ summary: 'Start setting up an authenticator app: secret, otpauth URI and QR code (off until confirmed)' })
  @ApiOkResponse({ type: TotpProvisioningResponse })
  startTotp(@Req() req: SwitchboardRequest): Promise<TotpProvisioning> {
    return this.commands.execute(new StartTotpEnrolmentCommand({ via: 'session', context: userOf(req).context }));
  }

  @Post('two-factor/totp/confirm')
  @HttpCode(200)
  @ApiOperation({ summary: 'Confirm the authenticator app with a current code; the first factor comes with ten recovery codes (shown once)' })
  @ApiOkResponse({ type: EnrolmentResponse })
  confirmTotp(@Req() req: SwitchboardRequest, @Body() body: ConfirmTotpDto): Promise<EnrolmentResult> {
    return this.commands.execute(new ConfirmTotpCommand({ via: 'session', context: userOf(req).context }, body.code));
  }

  @Post('two-factor/webauthn/registration-options')
  @HttpCode(200)
  @ApiOperation({ summary: 'Options for navigator.credentials.create() to add a security key or passkey' })
  @ApiOkResponse({ type: Object })
  webauthnOptions(@Req() req: SwitchboardRequest) {
    return this.commands.execute(new StartWebAuthnRegistrationCommand({ via: 'session', context: userOf(req).context }));
  }

  @Post('two-factor/webauthn')
  @HttpCode(201)
  @ApiOperation({ summary: 'Add the security key or passkey from its registration response' })
  @ApiCreatedResponse({ type: WebAuthnEnrolmentResponse })
  addWebauthn(@Req() req: SwitchboardRequest, @Body() body: RegisterWebAuthnDto) {
    return this.commands.execute(new FinishWebAuthnRegistrationCommand({ via: 'session', context: userOf(req).context }, body.name, body.response));
  }

  @Delete('two-factor/webauthn/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove one of your security keys' })
  @ApiNoContentResponse()
  async removeWebauthn(@Req() req: SwitchboardRequest, @Param('id', ParseUuidPipe) id: string): Promise<void> {
    await this.commands.execute(new RemoveWebAuthnCredentialCommand(userOf(req).context, id));
  }

  @Post('two-factor/recovery-codes')
  @HttpCode(200)
  @ApiOperation({ summary: 'Ten new recovery codes (the password is asked again); the old ones stop working' })
  @ApiOkResponse({ type: RecoveryCodesResponse })
  regenerate(@Req() req: SwitchboardRequest, @Body() body: PasswordDto): Promise<{ recoveryCodes: string[] }> {
    return this.commands.execute(new RegenerateRecoveryCodesCommand(userOf(req).context, body.password));
  }

  @Post('two-factor/reset')
  @HttpCode(204)
  @ApiOperation({ summary: 'Turn two-factor off: remove every factor and recovery code (the password is asked again); your other sessions end' })
  @ApiNoContentResponse()
  async reset(@Req() req: SwitchboardRequest, @Body() body: PasswordDto): Promise<void> {
    const { context, sessionId } = userOf(req);
    await this.commands.execute(new ResetTwoFactorCommand(context, sessionId, body.password));
  }

  @Get('sessions')
  @ApiOperation({ summary: 'Your active sign-ins in this tenant: device, IP, method, last used' })
  @ApiOkResponse({ type: SessionListResponse })
  async sessions(@Req() req: SwitchboardRequest): Promise<{ data: SessionListItem[] }> {
    const { context, sessionId } = userOf(req);
    return { data: await this.queries.execute(new ListSessionsQuery(context.tenantId, context.actorId!, sessionId)) };
  }

  @Delete('sessions/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'End one of your sessions: its access tokens stop at once and its open console sockets close' })
  @ApiNoContentResponse()
  async revoke(@Req() req: SwitchboardRequest, @Param('id', ParseUuidPipe) id: string): Promise<void> {
    await this.commands.execute(new RevokeSessionCommand(userOf(req).context, id));
  }

  @Post('password')
  @HttpCode(204)
  @ApiOperation({ summary: 'Change your password (current + new); your other sessions, in every tenant, end' })
  @ApiNoContentResponse()
  async changePassword(@Req() req: SwitchboardRequest, @Body() body: ChangePasswordDto): Promise<void> {
    const { context, sessionId } = userOf(req);
    await this.commands.execute(new ChangePasswordCommand(context, sessionId, body.currentPassword, body.newPassword));
  }
}
