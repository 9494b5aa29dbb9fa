import type { EntityManager } from 'typeorm';
import type { Role } from '../domain/roles';

type Queryable = Pick<EntityManager, 'query'>;

/** A tenant's identity provider as the API shows it: the client secret only as "set or not". */
export type SsoProtocol = 'oidc' | 'saml';

export interface SsoConnectionView {
  protocol: SsoProtocol;
  enabled: boolean;
  /** OIDC: the issuer URL; SAML: the IdP's entity id. */
  issuer: string;
  /** OIDC only. */
  clientId: string | null;
  clientSecretSet: boolean;
  /** SAML only: where AuthnRequests go, and the certificate (or public key) assertions are signed with. */
  samlEntryPoint: string | null;
  samlIdpCert: string | null;
  domains: string[];
  jitProvisioning: boolean;
  defaultRole: Exclude<Role, 'owner'>;
  ssoOnly: boolean;
  breakGlassUserId: string | null;
  updatedAt: string;
  version: number;
}

/** What signing in needs, including the sealed secret (never leaves the server). */
export interface SsoConnection extends SsoConnectionView {
  tenantId: string;
  clientSecretSealed: string | null;
  tenant: { id: string; slug: string; name: string; status: string };
}

interface Row {
  tenant_id: string;
  protocol: SsoProtocol;
  enabled: boolean;
  issuer: string;
  client_id: string | null;
  client_secret_sealed: string | null;
  saml_entry_point: string | null;
  saml_idp_cert: string | null;
  jit_provisioning: boolean;
  default_role: Exclude<Role, 'owner'>;
  sso_only: boolean;
  break_glass_user_id: string | null;
  updated_at: Date;
  version: number;
  domains: string[] | null;
  slug: string;
  name: string;
  status: string;
}

const SELECT = `SELECT c.tenant_id, c.protocol, c.enabled, c.issuer, c.client_id, c.client_secret_sealed, c.saml_entry_point, c.saml_idp_cert, c.jit_provisioning,
       c.default_role, c.sso_only, c.break_glass_user_id, c.updated_at, c.version, t.slug, t.name, t.status,
       (SELECT array_agg(d.domain ORDER BY d.domain) FROM sso_domains d WHERE d.tenant_id = c.tenant_id) AS domains
  FROM sso_connections c JOIN tenants t ON t.id = c.tenant_id`;

const toConnection = (r: Row): SsoConnection => ({
  tenantId: r.tenant_id,
  protocol: r.protocol,
  enabled: r.enabled,
  issuer: r.issuer,
  clientId: r.client_id,
  clientSecretSet: r.client_secret_sealed !== null,
  clientSecretSealed: r.client_secret_sealed,
  samlEntryPoint: r.saml_entry_point,
  samlIdpCert: r.saml_idp_cert,
  domains: r.domains ?? [],
  jitProvisioning: r.jit_provisioning,
  defaultRole: r.default_role,
  ssoOnly: r.sso_only,
  breakGlassUserId: r.break_glass_user_id,
  updatedAt: new Date(r.updated_at).toISOString(),
  version: r.version,
  tenant: { id: r.tenant_id, slug: r.slug, name: r.name, status: r.status },
});

export const toConnectionView = (c: SsoConnection): SsoConnectionView => ({
  protocol: c.protocol,
  enabled: c.enabled,
  issuer: c.issuer,
  clientId: c.clientId,
  clientSecretSet: c.clientSecretSet,
  samlEntryPoint: c.samlEntryPoint,
  samlIdpCert: c.samlIdpCert,
  domains: c.domains,
  jitProvisioning: c.jitProvisioning,
  defaultRole: c.defaultRole,
  ssoOnly: c.ssoOnly,
  breakGlassUserId: c.breakGlassUserId,
  updatedAt: c.updatedAt,
  version: c.version,
});

export async function findConnection(q: Queryable, tenantId: string, lock = false): Promise<SsoConnection | undefined> {
  const rows: Row[] = await q.query(`${SELECT} WHERE c.tenant_id = $1${lock ? ' FOR UPDATE OF c' : ''}`, [tenantId]);
  return rows[0] ? toConnection(rows[0]) : undefined;
}

/** Across tenants (sign-in starts before any tenant is known). */
export async function findConnectionBySlug(q: Queryable, slug: string): Promise<SsoConnection | undefined> {
  const rows: Row[] = await q.query(`${SELECT} WHERE t.slug = $1`, [slug]);
  return rows[0] ? toConnection(rows[0]) : undefined;
}

/** Across tenants: the connection that owns an email domain. */
export async function findConnectionByDomain(q: Queryable, domain: string): Promise<SsoConnection | undefined> {
  const rows: Row[] = await q.query(`${SELECT} WHERE c.tenant_id = (SELECT tenant_id FROM sso_domains WHERE domain = $1)`, [domain]);
  return rows[0] ? toConnection(rows[0]) : undefined;
}

export interface ConnectionWrite {
  protocol: SsoProtocol;
  enabled: boolean;
  issuer: string;
  clientId: string | null;
  samlEntryPoint: string | null;
  samlIdpCert: string | null;
  /** undefined: keep the stored one. */
  clientSecretSealed: string | null | undefined;
  jitProvisioning: boolean;
  defaultRole: Exclude<Role, 'owner'>;
  ssoOnly: boolean;
  breakGlassUserId: string | null;
}

export async function upsertConnection(q: Queryable, tenantId: string, w: ConnectionWrite): Promise<void> {
  await q.query(
    `INSERT INTO sso_connections (tenant_id, enabled, issuer, client_id, client_secret_sealed, jit_provisioning, default_role, sso_only, break_glass_user_id,
       protocol, saml_entry_point, saml_idp_cert)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $11, $12, $13)
     ON CONFLICT (tenant_id) DO UPDATE SET enabled = EXCLUDED.enabled, issuer = EXCLUDED.issuer, client_id = EXCLUDED.client_id,
       client_secret_sealed = CASE WHEN $10 THEN sso_connections.client_secret_sealed ELSE EXCLUDED.client_secret_sealed END,
       protocol = EXCLUDED.protocol, saml_entry_point = EXCLUDED.saml_entry_point, saml_idp_cert = EXCLUDED.saml_idp_cert,
       jit_provisioning = EXCLUDED.jit_provisioning, default_role = EXCLUDED.default_role, sso_only = EXCLUDED.sso_only,
       break_glass_user_id = EXCLUDED.break_glass_user_id, updated_at = now(), version = sso_connections.version + 1`,
    [
      tenantId,
      w.enabled,
      w.issuer,
      w.clientId,
      w.clientSecretSealed ?? null,
      w.jitProvisioning,
      w.defaultRole,
      w.ssoOnly,
      w.breakGlassUserId,
      w.clientSecretSealed === undefined,
      w.protocol,
      w.samlEntryPoint,
      w.samlIdpCert,
    ],
  );
}

export async function replaceDomains(q: Queryable, tenantId: string, domains: string[]): Promise<void> {
  await q.query(`DELETE FROM sso_domains WHERE tenant_id = $1 AND NOT (domain = ANY($2::text[]))`, [tenantId, domains]);
  await q.query(`INSERT INTO sso_domains (tenant_id, domain) SELECT $1, unnest($2::text[]) ON CONFLICT (tenant_id, domain) DO NOTHING`, [tenantId, domains]);
}

export async function deleteConnection(q: Queryable, tenantId: string): Promise<void> {
  await q.query(`DELETE FROM sso_connections WHERE tenant_id = $1`, [tenantId]);
}

export interface NewRequest {
  protocol: SsoProtocol;
  stateHash: string;
  /** OIDC: the nonce; SAML: the AuthnRequest id. */
  nonce: string;
  /** OIDC: the PKCE verifier; SAML: empty. */
  codeVerifier: string;
}

export async function insertRequest(q: Queryable, tenantId: string, r: NewRequest): Promise<void> {
  await q.query(
    `INSERT INTO sso_requests (tenant_id, protocol, state_hash, nonce, code_verifier, expires_at) VALUES ($1, $2, $3, $4, $5, now() + interval '10 minutes')`,
    [tenantId, r.protocol, r.stateHash, r.nonce, r.codeVerifier],
  );
}

export interface PendingRequest {
  tenantId: string;
  id: string;
  nonce: string;
  codeVerifier: string;
}

/** Across tenants (the state is the handle): marks the request used and returns it, once, while fresh. */
export async function consumeRequest(q: Queryable, protocol: SsoProtocol, stateHash: string): Promise<PendingRequest | undefined> {
  const rows: { tenant_id: string; id: string; nonce: string; code_verifier: string }[] = await q.query(
    `WITH used AS (UPDATE sso_requests SET consumed_at = now()
      WHERE state_hash = $1 AND protocol = $2 AND consumed_at IS NULL AND expires_at > now()
      RETURNING tenant_id, id, nonce, code_verifier) SELECT * FROM used`,
    [stateHash, protocol],
  );
  const r = rows[0];
  return r ? { tenantId: r.tenant_id, id: r.id, nonce: r.nonce, codeVerifier: r.code_verifier } : undefined;
}

export async function insertLoginCode(q: Queryable, tenantId: string, codeHash: string, userId: string): Promise<void> {
  await q.query(`INSERT INTO sso_login_codes (tenant_id, code_hash, user_id, expires_at) VALUES ($1, $2, $3, now() + interval '60 seconds')`, [tenantId, codeHash, userId]);
}

/** Across tenants (the code is the credential): single use while fresh. */
export async function consumeLoginCode(q: Queryable, codeHash: string): Promise<{ tenantId: string; userId: string } | undefined> {
  const rows: { tenant_id: string; user_id: string }[] = await q.query(
    `WITH used AS (UPDATE sso_login_codes SET used_at = now() WHERE code_hash = $1 AND used_at IS NULL AND expires_at > now() RETURNING tenant_id, user_id)
     SELECT * FROM used`,
    [codeHash],
  );
  return rows[0] ? { tenantId: rows[0].tenant_id, userId: rows[0].user_id } : undefined;
}

/** Records a SAML assertion as used; false when it was used before (a replay). */
export async function recordSamlAssertion(q: Queryable, tenantId: string, assertionId: string, expiresAt: Date): Promise<boolean> {
  await q.query(`DELETE FROM sso_saml_assertions WHERE tenant_id = $1 AND expires_at < now()`, [tenantId]);
  const rows: unknown[] = await q.query(
    `INSERT INTO sso_saml_assertions (tenant_id, assertion_id, expires_at) VALUES ($1, $2, $3) ON CONFLICT (tenant_id, assertion_id) DO NOTHING RETURNING assertion_id`,
    [tenantId, assertionId, expiresAt],
  );
  return rows.length === 1;
}
