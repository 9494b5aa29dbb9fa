import { Module } from '@nestjs/common';
import { acceptFormPostsAt, API_PREFIX } from '@switchboard/platform';
import { AdminTenantsController } from './http/admin-tenants.controller';
import { ApiKeysController } from './http/api-keys.controller';
import { AuditLogsController } from './http/audit-logs.controller';
import { AccountSecurityController } from './http/account-security.controller';
import { AuthController } from './http/auth.controller';
import { InvitationsController } from './http/invitations.controller';
import { MembersController } from './http/members.controller';
import { TenantSettingsController } from './http/tenant-settings.controller';
import { TwoFactorSignInController } from './http/two-factor-sign-in.controller';
import { SsoAdminController } from './http/sso-admin.controller';
import { SsoController } from './http/sso.controller';
import { ScimController } from './http/scim.controller';
import { ScimTokensController } from './http/scim-tokens.controller';
import { TenancyModule } from './tenancy.module';

@Module({
  imports: [TenancyModule],
  controllers: [
    AuthController,
    TwoFactorSignInController,
    AccountSecurityController,
    AdminTenantsController,
    ApiKeysController,
    MembersController,
    InvitationsController,
    AuditLogsController,
    TenantSettingsController,
    SsoController,
    SsoAdminController,
    ScimController,
    ScimTokensController,
  ],
  exports: [TenancyModule],
})
export class TenancyHttpModule {
  constructor() {
    // The SAML IdP posts its response as an HTML form (HTTP-POST binding); SsoController reads it.
    acceptFormPostsAt(`/${API_PREFIX}/auth/sso/saml/acs`);
  }
}
