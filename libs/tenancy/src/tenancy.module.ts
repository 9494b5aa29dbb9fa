import { Module } from '@nestjs/common';
import { AUTHENTICATOR } from '@switchboard/platform';
import { AccessCache } from './auth/access-cache';
import { LoginThrottle } from './auth/login-throttle';
import { PasswordHasher } from './auth/password-hasher';
import { SessionIssuer } from './auth/session-issuer';
import { TenancyAuthenticator } from './auth/tenancy-authenticator';
import { TokenService } from './auth/token-service';
import { CurrentPassword } from './auth/current-password';
import { EnrolmentFinisher } from './auth/enrolment-finisher';
import { OneTimeStore } from './auth/one-time-store';
import { SignInSteps } from './auth/sign-in-steps';
import { TotpSecrets } from './auth/totp-secrets';
import { EnrolmentActors } from './auth/two-factor-actor';
import { WebAuthn } from './auth/webauthn';
import { ChangePasswordHandler } from './commands/change-password/change-password.handler';
import { ConfirmTotpHandler } from './commands/confirm-totp/confirm-totp.handler';
import { FinishWebAuthnRegistrationHandler } from './commands/finish-webauthn-registration/finish-webauthn-registration.handler';
import { RegenerateRecoveryCodesHandler } from './commands/regenerate-recovery-codes/regenerate-recovery-codes.handler';
import { RemoveWebAuthnCredentialHandler } from './commands/remove-webauthn-credential/remove-webauthn-credential.handler';
import { ResetTwoFactorHandler } from './commands/reset-two-factor/reset-two-factor.handler';
import { RevokeMemberSessionsHandler } from './commands/revoke-member-sessions/revoke-member-sessions.handler';
import { RevokeSessionHandler } from './commands/revoke-session/revoke-session.handler';
import { SetTwoFactorRequirementHandler } from './commands/set-two-factor-requirement/set-two-factor-requirement.handler';
import { StartTotpEnrolmentHandler } from './commands/start-totp-enrolment/start-totp-enrolment.handler';
import { StartWebAuthnRegistrationHandler } from './commands/start-webauthn-registration/start-webauthn-registration.handler';
import { VerifyTwoFactorHandler } from './commands/verify-two-factor/verify-two-factor.handler';
import { WebAuthnSignInOptionsHandler } from './commands/webauthn-sign-in-options/webauthn-sign-in-options.handler';
import { GetTwoFactorStatusHandler } from './queries/get-two-factor-status/get-two-factor-status.handler';
import { ListSessionsHandler } from './queries/list-sessions/list-sessions.handler';
import { SessionsRepository } from './repositories/sessions.repository';
import { TwoFactorRepository } from './repositories/two-factor.repository';
import { AcceptInvitationHandler } from './commands/accept-invitation/accept-invitation.handler';
import { ImpersonateUserHandler } from './commands/impersonate-user/impersonate-user.handler';
import { InviteMemberHandler } from './commands/invite-member/invite-member.handler';
import { RevokeInvitationHandler } from './commands/revoke-invitation/revoke-invitation.handler';
import { ListInvitationsHandler } from './queries/list-invitations/list-invitations.handler';
import { AddMemberHandler } from './commands/add-member/add-member.handler';
import { ChangeMemberRoleHandler } from './commands/change-member-role/change-member-role.handler';
import { ChangeTenantStatusHandler } from './commands/change-tenant-status/change-tenant-status.handler';
import { CreateApiKeyHandler } from './commands/create-api-key/create-api-key.handler';
import { CreateTenantHandler } from './commands/create-tenant/create-tenant.handler';
import { LoginHandler } from './commands/login/login.handler';
import { LogoutHandler } from './commands/logout/logout.handler';
import { RefreshSessionHandler } from './commands/refresh-session/refresh-session.handler';
import { RemoveMemberHandler } from './commands/remove-member/remove-member.handler';
import { RequestTenantDeletionHandler } from './commands/request-tenant-deletion/request-tenant-deletion.handler';
import { RevokeApiKeyHandler } from './commands/revoke-api-key/revoke-api-key.handler';
import { UpdateTenantHandler } from './commands/update-tenant/update-tenant.handler';
import { FindPublicTenantHandler } from './queries/find-public-tenant/find-public-tenant.handler';
import { GetMemberRoleHandler } from './queries/get-member-role/get-member-role.handler';
import { GetOwnerEmailsHandler } from './queries/get-owner-emails/get-owner-emails.handler';
import { MemberNamesHandler } from './queries/member-names/member-names.handler';
import { GetSeatUsageHandler } from './queries/get-seat-usage/get-seat-usage.handler';
import { GetMeHandler } from './queries/get-me/get-me.handler';
import { GetTenantHandler } from './queries/get-tenant/get-tenant.handler';
import { ListApiKeysHandler } from './queries/list-api-keys/list-api-keys.handler';
import { ListAuditLogsHandler } from './queries/list-audit-logs/list-audit-logs.handler';
import { ListMembersHandler } from './queries/list-members/list-members.handler';
import { ListTenantsHandler } from './queries/list-tenants/list-tenants.handler';
import { ApiKeysRepository } from './repositories/api-keys.repository';
import { AuditLogsRepository } from './repositories/audit-logs.repository';
import { InvitationsRepository } from './repositories/invitations.repository';
import { MembersRepository } from './repositories/members.repository';
import { RefreshTokensRepository } from './repositories/refresh-tokens.repository';
import { TenantsRepository } from './repositories/tenants.repository';
import { UsersRepository } from './repositories/users.repository';
import { SsoCompleteOidcHandler } from './commands/sso-complete-oidc/sso-complete-oidc.handler';
import { SsoConfigureHandler } from './commands/sso-configure/sso-configure.handler';
import { SsoExchangeHandler } from './commands/sso-exchange/sso-exchange.handler';
import { SsoRemoveHandler } from './commands/sso-remove/sso-remove.handler';
import { SsoStartHandler } from './commands/sso-start/sso-start.handler';
import { SsoDiscoverHandler } from './queries/sso-discover/sso-discover.handler';
import { SsoGetConnectionHandler } from './queries/sso-get-connection/sso-get-connection.handler';
import { OidcClients } from './sso/oidc-clients';
import { SsoAudit } from './sso/sso-audit';
import { SsoPolicy } from './sso/sso-policy';
import { SsoRepository } from './sso/sso.repository';
import { SsoSignIn } from './sso/sso-sign-in';
import { SamlClients } from './sso/saml-clients';
import { SsoCompleteSamlHandler } from './commands/sso-complete-saml/sso-complete-saml.handler';
import { SsoSamlMetadataHandler } from './queries/sso-saml-metadata/sso-saml-metadata.handler';
import { SsoSecrets } from './sso/sso-secrets';
import { SsoUrls } from './sso/sso-urls';
import { ScimCreateUserHandler } from './commands/scim-create-user/scim-create-user.handler';
import { ScimDeleteUserHandler } from './commands/scim-delete-user/scim-delete-user.handler';
import { ScimTokenIssueHandler } from './commands/scim-token-issue/scim-token-issue.handler';
import { ScimTokenRevokeHandler } from './commands/scim-token-revoke/scim-token-revoke.handler';
import { ScimUpdateUserHandler } from './commands/scim-update-user/scim-update-user.handler';
import { ScimGetUserHandler } from './queries/scim-get-user/scim-get-user.handler';
import { ScimListUsersHandler } from './queries/scim-list-users/scim-list-users.handler';
import { ScimDirectoryUsersHandler } from './queries/scim-directory-users/scim-directory-users.handler';
import { ScimTokenGetHandler } from './queries/scim-token-get/scim-token-get.handler';
import { ScimMembership } from './scim/scim-membership';
import { ScimRepository } from './scim/scim.repository';
import { ScimTokenGuard } from './scim/scim-token.guard';

/** Tenants, users, memberships, credentials and the audit log: shared by api, worker and seed. */
@Module({
  providers: [
    TenantsRepository,
    MembersRepository,
    UsersRepository,
    ApiKeysRepository,
    InvitationsRepository,
    RefreshTokensRepository,
    SessionsRepository,
    TwoFactorRepository,
    AuditLogsRepository,
    PasswordHasher,
    TokenService,
    SessionIssuer,
    SignInSteps,
    OneTimeStore,
    TotpSecrets,
    WebAuthn,
    EnrolmentActors,
    EnrolmentFinisher,
    CurrentPassword,
    LoginThrottle,
    AccessCache,
    TenancyAuthenticator,
    { provide: AUTHENTICATOR, useExisting: TenancyAuthenticator },
    CreateTenantHandler,
    FindPublicTenantHandler,
    UpdateTenantHandler,
    ChangeTenantStatusHandler,
    RequestTenantDeletionHandler,
    LoginHandler,
    RefreshSessionHandler,
    LogoutHandler,
    VerifyTwoFactorHandler,
    WebAuthnSignInOptionsHandler,
    StartTotpEnrolmentHandler,
    ConfirmTotpHandler,
    StartWebAuthnRegistrationHandler,
    FinishWebAuthnRegistrationHandler,
    RemoveWebAuthnCredentialHandler,
    RegenerateRecoveryCodesHandler,
    ResetTwoFactorHandler,
    ChangePasswordHandler,
    RevokeSessionHandler,
    RevokeMemberSessionsHandler,
    SetTwoFactorRequirementHandler,
    GetTwoFactorStatusHandler,
    ListSessionsHandler,
    CreateApiKeyHandler,
    RevokeApiKeyHandler,
    AddMemberHandler,
    InviteMemberHandler,
    AcceptInvitationHandler,
    RevokeInvitationHandler,
    ListInvitationsHandler,
    ImpersonateUserHandler,
    ChangeMemberRoleHandler,
    RemoveMemberHandler,
    GetMeHandler,
    GetMemberRoleHandler,
    GetOwnerEmailsHandler,
    MemberNamesHandler,
    GetSeatUsageHandler,
    GetTenantHandler,
    ListTenantsHandler,
    ListApiKeysHandler,
    ListMembersHandler,
    ListAuditLogsHandler,
    // Single sign-on (ADR 0033)
    SsoRepository,
    SsoSecrets,
    SsoUrls,
    SsoAudit,
    SsoPolicy,
    SsoSignIn,
    OidcClients,
    SamlClients,
    SsoConfigureHandler,
    SsoRemoveHandler,
    SsoGetConnectionHandler,
    SsoDiscoverHandler,
    SsoStartHandler,
    SsoCompleteOidcHandler,
    SsoExchangeHandler,
    SsoCompleteSamlHandler,
    SsoSamlMetadataHandler,
    // SCIM provisioning (ADR 0033)
    ScimRepository,
    ScimMembership,
    ScimTokenGuard,
    ScimTokenIssueHandler,
    ScimTokenRevokeHandler,
    ScimTokenGetHandler,
    ScimCreateUserHandler,
    ScimUpdateUserHandler,
    ScimDeleteUserHandler,
    ScimGetUserHandler,
    ScimListUsersHandler,
    ScimDirectoryUsersHandler,
  ],
  // The repositories are exported for the worker's purge (TenancyWorkerModule); SsoUrls, the SCIM guard and its repository for the HTTP module's controllers.
  exports: [AUTHENTICATOR, TokenService, PasswordHasher, AccessCache, SessionIssuer, TenantsRepository, MembersRepository, UsersRepository, SsoUrls, ScimTokenGuard, ScimRepository],
})
export class TenancyModule {}
