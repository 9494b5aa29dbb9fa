import { defineConfig, defineContext, defineEvent, defineJob, defineSchedule, type ConfigOf, type QueueDefinition } from '@switchboard/platform';
import { z } from 'zod';
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

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/** Sign-in and credential checks. */
export const tenancyConfig = defineConfig('tenancy', {
  /** HS256 key for access tokens; unset: the key the first migration generated into platform_secrets. */
  AUTH_JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  AUTH_ACCESS_TOKEN_TTL_SECONDS: int(60, 24 * 3600).default(900),
  AUTH_REFRESH_TOKEN_TTL_DAYS: int(1, 365).default(30),
  /**
   * How long a process may keep a credential's membership, role, API key and tenant status without
   * reading them again. Changes drop the entries on every process through Redis pub/sub, and
   * nothing is cached while that subscription is down; this only bounds staleness when a change
   * could not be published. 0: read on every request.
   */
  AUTH_ACCESS_CACHE_TTL_MS: int(0, 3_600_000).default(60_000),
  /**
   * Single sign-on (ADR 0033). 32 bytes, base64, sealing identity providers' client secrets;
   * unset: the key the SSO migration generated into platform_secrets.
   */
  SSO_SECRET_KEY: z
    .string()
    .refine((v) => Buffer.from(v, 'base64').length === 32, 'must be 32 bytes, base64 (openssl rand -base64 32)')
    .optional(),
  /** The api's public origin (https://api.example.com) for redirect URIs; unset: the request's own origin. */
  SSO_PUBLIC_URL: z.string().url().refine((v) => /^https?:\/\//.test(v), 'expected an http(s) URL').optional(),
  /** Let identity providers on private or loopback addresses, and plain http, through (tests, self-hosted IdPs). */
  SSO_ALLOW_PRIVATE_ISSUERS: z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1').default(false),
});
export type TenancyConfig = ConfigOf<typeof tenancyConfig>;

/** Tenants, members, credentials and the audit log. */
export const tenancyContext = defineContext({
  name: 'tenancy',
  events: [TenantCreated, TenantUpdated, TenantSuspended, TenantReactivated, TenantDeletionRequested, MemberAdded, MemberRoleChanged, MemberRemoved],
  queues: [TenancyQueue],
  jobs: [DeleteExpiredRefreshTokens],
  schedules: [RefreshTokenRetention],
  config: tenancyConfig,
});
