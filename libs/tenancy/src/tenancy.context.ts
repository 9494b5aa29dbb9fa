import { defineContext, defineEvent, defineJob, defineSchedule, type QueueDefinition } from '@switchboard/platform';
import type { Role } from './domain/roles';

export const TenantCreated = defineEvent<{ slug: string }>()('tenancy.tenant_created', { aggregate: 'tenant' });
export const TenantUpdated = defineEvent<{ name: string; timezone: string; locale: string }>()('tenancy.tenant_updated', { aggregate: 'tenant' });
export const TenantSuspended = defineEvent<Record<string, never>>()('tenancy.tenant_suspended', { aggregate: 'tenant' });
export const TenantReactivated = defineEvent<Record<string, never>>()('tenancy.tenant_reactivated', { aggregate: 'tenant' });
/** The tenant is marked `deleting`; the worker purges every row, file and Redis key it has. */
export const TenantDeletionRequested = defineEvent<{ slug: string }>()('tenancy.tenant_deletion_requested', { aggregate: 'tenant' });
export const MemberAdded = defineEvent<{ userId: string; role: Role }>()('tenancy.member_added', { aggregate: 'membership' });
export const MemberRoleChanged = defineEvent<{ userId: string; role: Role }>()('tenancy.member_role_changed', { aggregate: 'membership' });
export const MemberRemoved = defineEvent<{ userId: string }>()('tenancy.member_removed', { aggregate: 'membership' });

export const TenancyQueue: QueueDefinition = { name: 'tenancy', description: 'Tenant purges after a deletion request; nightly deletion of expired refresh tokens' };

export const DeleteExpiredRefreshTokens = defineJob<Record<string, never>>()(TenancyQueue, 'tenancy.delete-expired-refresh-tokens');
export const RefreshTokenRetention = defineSchedule({
  id: 'tenancy.refresh-token-retention',
  job: DeleteExpiredRefreshTokens,
  pattern: '27 3 * * *',
  tz: 'UTC',
  description: 'Refresh tokens past their expiry (used, revoked or not)',
});

/** Tenants, members, credentials and the audit log. */
export const tenancyContext = defineContext({
  name: 'tenancy',
  events: [TenantCreated, TenantUpdated, TenantSuspended, TenantReactivated, TenantDeletionRequested, MemberAdded, MemberRoleChanged, MemberRemoved],
  queues: [TenancyQueue],
  jobs: [DeleteExpiredRefreshTokens],
  schedules: [RefreshTokenRetention],
});
