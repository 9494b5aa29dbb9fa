export { TenancyModule } from './tenancy.module';
export { TenancyHttpModule } from './tenancy-http.module';
export { TenancyWorkerModule } from './tenancy-worker.module';
export { CreateTenantCommand, type CreateTenantInput } from './commands/create-tenant/create-tenant.command';
export { ROLES, PERMISSIONS, ROLE_PERMISSIONS, API_KEY_SCOPES, type Role, type Permission } from './domain/roles';
export type { TenantView } from './repositories/tenancy.sql';
export { AddMemberCommand, type AddMemberInput } from './commands/add-member/add-member.command';
export { GetMemberRoleQuery } from './queries/get-member-role/get-member-role.query';
export { FindPublicTenantQuery, type PublicTenant } from './queries/find-public-tenant/find-public-tenant.query';
