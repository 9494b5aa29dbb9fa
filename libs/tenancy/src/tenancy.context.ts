import { defineConfig, defineContext, defineEvent, defineJob, defineSchedule, type ConfigOf, type QueueDefinition } from '@switchboard/platform';
import { z } from 'zod';
import { TenantStats, UserStats } from './repositories/operator-stats.sql';
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
  /** TOTP secrets at rest: `kid:base64key` pairs (32-byte AES-256-GCM keys), comma-separated; the first encrypts, all decrypt. Unset: a key generated into platform_secrets. */
  AUTH_ENCRYPTION_KEYS: z
    .string()
    .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
    .pipe(
      z.array(
        z
          .string()
          .regex(/^[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/=]+$/, 'expected kid:base64key')
          .refine((v) => Buffer.from(v.split(':')[1]!, 'base64').length === 32, 'each key must be 32 bytes (base64 of 32 random bytes)'),
      ),
    )
    .optional(),
  /** The issuer authenticator apps show next to the account. */
  AUTH_TOTP_ISSUER: z.string().min(1).max(60).default('Switchboard'),
  /** WebAuthn relying party: the console's host name (security keys and passkeys are bound to it). */
  AUTH_WEBAUTHN_RP_ID: z.string().min(1).max(253).default('localhost'),
  AUTH_WEBAUTHN_RP_NAME: z.string().min(1).max(100).default('Switchboard'),
  /** Origins the console is served from, comma-separated; a WebAuthn response from any other is refused. */
  AUTH_WEBAUTHN_ORIGINS: z
    .string()
    .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(z.string().url('expected an origin such as https://console.example.com')).min(1))
    .default(['http://localhost:3000']),
  /** How long the answer to a password (the second-factor challenge) stays usable. */
  AUTH_TWO_FACTOR_CHALLENGE_TTL_SECONDS: int(60, 1800).default(300),
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
  operatorStats: [TenantStats, UserStats],
});
