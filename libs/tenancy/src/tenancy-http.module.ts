import { Module } from '@nestjs/common';
import { AdminTenantsController } from './http/admin-tenants.controller';
import { ApiKeysController } from './http/api-keys.controller';
import { AuditLogsController } from './http/audit-logs.controller';
import { AccountSecurityController } from './http/account-security.controller';
import { AuthController } from './http/auth.controller';
import { InvitationsController } from './http/invitations.controller';
import { MembersController } from './http/members.controller';
import { TenantSettingsController } from './http/tenant-settings.controller';
import { TwoFactorSignInController } from './http/two-factor-sign-in.controller';
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
  ],
  exports: [TenancyModule],
})
export class TenancyHttpModule {}
