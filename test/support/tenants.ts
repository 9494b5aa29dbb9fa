import { randomBytes } from 'node:crypto';
import { adminHeaders } from './processes';

export const PASSWORD = 'correct horse battery staple';

export interface TenantSession {
  tenant: { id: string; slug: string; name: string };
  /** Access tokens by role. */
  tokens: Record<'owner' | 'admin' | 'agent' | 'technician' | 'viewer', string>;
  users: Record<'owner' | 'admin' | 'agent' | 'technician' | 'viewer', { email: string; membershipId: string; userId: string }>;
  /** An API key with every scope an API key may have, and one with read scopes only. */
  apiKeys: { full: string; readOnly: string };
  headers(role: keyof TenantSession['tokens'], extra?: Record<string, string>): Record<string, string>;
}

const json = (token: string, extra: Record<string, string> = {}) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json', ...extra });

async function call<T>(url: string, init: RequestInit, expected: number): Promise<T> {
  const res = await fetch(url, init);
  const text = await res.text();
  if (res.status !== expected) throw new Error(`${init.method ?? 'GET'} ${url} → ${res.status}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

export async function login(apiUrl: string, email: string, password = PASSWORD, tenant?: string) {
  return call<{ accessToken: string; refreshToken: string; tenant: { id: string; slug: string; name: string } }>(
    `${apiUrl}/v1/auth/login`,
    { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password, tenant }) },
    200,
  );
}

/**
 * A fresh tenant with one user per role and two API keys, made through the public API as a user
 * would. Unique names per call, so test files never share data.
 */
export async function createTenant(apiUrl: string, label = 'acme'): Promise<TenantSession> {
  const suffix = randomBytes(4).toString('hex');
  const slug = `${label}-${suffix}`;
  const email = (role: string) => `${role}.${suffix}@${label}.test`;
  const tenant = await call<{ id: string; slug: string; name: string }>(
    `${apiUrl}/v1/admin/tenants`,
    {
      method: 'POST',
      headers: adminHeaders(),
      body: JSON.stringify({ name: `${label} ${suffix}`, slug, timezone: 'Europe/Berlin', owner: { email: email('owner'), name: 'Owner', password: PASSWORD } }),
    },
    201,
  );
  const owner = await login(apiUrl, email('owner'));
  const users = {} as TenantSession['users'];
  const tokens = { owner: owner.accessToken } as TenantSession['tokens'];
  for (const role of ['admin', 'agent', 'technician', 'viewer'] as const) {
    const member = await call<{ membershipId: string; userId: string }>(
      `${apiUrl}/v1/admin/tenants/${tenant.id}/members`,
      { method: 'POST', headers: adminHeaders(), body: JSON.stringify({ email: email(role), name: role, password: PASSWORD, role }) },
      201,
    );
    users[role] = { email: email(role), ...member };
    tokens[role] = (await login(apiUrl, email(role))).accessToken;
  }
  const members = await call<{ data: { id: string; userId: string; email: string }[] }>(`${apiUrl}/v1/members`, { headers: json(tokens.owner) }, 200);
  const ownerMember = members.data.find((m) => m.email === email('owner'))!;
  users.owner = { email: email('owner'), membershipId: ownerMember.id, userId: ownerMember.userId };
  const key = (name: string, scopes: string[]) =>
    call<{ key: string }>(`${apiUrl}/v1/api-keys`, { method: 'POST', headers: json(tokens.owner), body: JSON.stringify({ name, scopes }) }, 201).then((r) => r.key);
  const apiKeys = {
    full: await key('full', ['tickets:read', 'tickets:write', 'customers:read', 'customers:write', 'kb:read', 'kb:write', 'audit:read', 'members:read']),
    readOnly: await key('read-only', ['tickets:read']),
  };
  return { tenant, tokens, users, apiKeys, headers: (role, extra) => json(tokens[role], extra) };
}

/** The helper later issues reuse: two isolated tenants, each with every role and API keys. */
export async function createTwoTenants(apiUrl: string): Promise<[TenantSession, TenantSession]> {
  return [await createTenant(apiUrl, 'acme'), await createTenant(apiUrl, 'globex')];
}

/**
 * Usage rows are written right after a call answers; `GET /v1/ai/usage` waits for the ones its
 * process has accepted. Call it on every api a test used before reading `ai_usage` directly.
 */
export async function settleAiUsage(apiUrls: string | readonly string[], sessions: readonly TenantSession[], tenantId: string): Promise<void> {
  const session = sessions.find((s) => s.tenant.id === tenantId);
  if (!session) throw new Error(`No session for tenant ${tenantId}`);
  for (const url of typeof apiUrls === 'string' ? [apiUrls] : apiUrls) {
    const res = await fetch(`${url}/v1/ai/usage`, { headers: session.headers('agent') });
    if (res.status !== 200) throw new Error(`GET /v1/ai/usage answered ${res.status}: ${await res.text()}`);
  }
}
