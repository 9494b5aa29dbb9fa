export { TenancyModule } from './tenancy.module';
export { TenancyHttpModule } from './tenancy-http.module';
export { TenancyWorkerModule } from './tenancy-worker.module';
export { CreateTenantCommand, type CreateTenantInput } from './commands/create-tenant/create-tenant.command';
export { ROLES, PERMISSIONS, ROLE_PERMISSIONS, API_KEY_SCOPES, type Role, type Permission } from './domain/roles';
export type { TenantView } from './repositories/tenants.sql';
export { AddMemberCommand, type AddMemberInput } from './commands/add-member/add-member.command';
export { GetMemberRoleQuery } from './queries/get-member-role/get-member-role.query';
export { GetOwnerEmailsQuery } from './queries/get-owner-emails/get-owner-emails.query';
export { GetTenantQuery } from './queries/get-tenant/get-tenant.query';
export { GetMeQuery, type MeView } from './queries/get-me/get-me.query';
export { FindPublicTenantQuery, type PublicTenant } from './queries/find-public-tenant/find-public-tenant.query';
export * from './tenancy.context';
// SCIM: other contexts serve their own SCIM resources (ticket groups as SCIM Groups) behind the tenant's SCIM token, in SCIM's shapes.
export { ScimDirectoryUsersQuery, type ScimDirectoryUser } from './queries/scim-directory-users/scim-directory-users.query';
export { ScimTokenGuard, ScimCtx } from './scim/scim-token.guard';
export { ScimError, ScimExceptionFilter, SCIM_CONTENT_TYPE } from './scim/scim-error';
export { LIST_SCHEMA as SCIM_LIST_SCHEMA } from './scim/scim-user';
export { SsoUrls } from './sso/sso-urls';
