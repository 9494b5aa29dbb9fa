import type { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantRls } from '../libs/platform/src/database/migration-helpers';

/**
 * Single sign-on per tenant (OpenID Connect or SAML 2.0) and SCIM 2.0 provisioning (ADR 0033).
 *
 * - `sso_connections`: one identity provider per tenant; the OIDC client secret is sealed
 *   (AES-256-GCM, tenant id as associated data) and never read back out through the API.
 * - `sso_domains`: the email domains a tenant's IdP speaks for, unique across tenants, so an email
 *   finds at most one tenant (discovery) and an IdP cannot sign in an address of another domain.
 * - `sso_requests`: a started sign-in (state; OIDC nonce and PKCE verifier, or the SAML request
 *   id), single use, ten minutes.
 * - `sso_saml_assertions`: ids of SAML assertions already used, until they expire (replay).
 * - `sso_login_codes`: the one-time code the console exchanges for a session, single use, one minute.
 * - `scim_tokens`: the directory's bearer token, stored hashed like API keys.
 * - `scim_users`: the SCIM resource of a provisioned person; it outlives the membership while the
 *   person is deactivated (`active = false`), as directories expect.
 */
export class SsoScim1765054800000 implements MigrationInterface {
  name = 'SsoScim1765054800000';

  async up(q: QueryRunner): Promise<void> {
    // Key for sealing IdP client secrets when SSO_SECRET_KEY is unset, like the JWT key.
    await q.query(`INSERT INTO platform_secrets (name, value) VALUES ('sso_secret_key', encode(gen_random_bytes(32), 'base64')) ON CONFLICT (name) DO NOTHING`);

    await q.query(`CREATE TABLE sso_connections (
      tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
      protocol text NOT NULL DEFAULT 'oidc' CHECK (protocol IN ('oidc', 'saml')),
      enabled boolean NOT NULL DEFAULT true,
      -- OIDC: the issuer URL; SAML: the IdP's entity id.
      issuer text NOT NULL CHECK (char_length(issuer) BETWEEN 1 AND 500),
      client_id text CHECK (char_length(client_id) BETWEEN 1 AND 500),
      client_secret_sealed text,
      saml_entry_point text CHECK (char_length(saml_entry_point) <= 1000),
      saml_idp_cert text CHECK (char_length(saml_idp_cert) <= 20000),
      jit_provisioning boolean NOT NULL DEFAULT true,
      default_role text NOT NULL DEFAULT 'viewer' CHECK (default_role IN ('admin', 'agent', 'technician', 'viewer')),
      sso_only boolean NOT NULL DEFAULT false,
      break_glass_user_id uuid REFERENCES users (id) ON DELETE SET NULL,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      version int NOT NULL DEFAULT 1,
      PRIMARY KEY (tenant_id),
      CHECK ((protocol = 'oidc' AND client_id IS NOT NULL) OR (protocol = 'saml' AND saml_entry_point IS NOT NULL AND saml_idp_cert IS NOT NULL))
    )`);
    await enableTenantRls(q, 'sso_connections');

    await q.query(`CREATE TABLE sso_domains (
      tenant_id uuid NOT NULL REFERENCES sso_connections (tenant_id) ON DELETE CASCADE,
      domain text NOT NULL CHECK (domain = lower(domain) AND char_length(domain) <= 253),
      PRIMARY KEY (tenant_id, domain)
    )`);
    await q.query(`CREATE UNIQUE INDEX sso_domains_domain ON sso_domains (domain)`);
    await enableTenantRls(q, 'sso_domains');

    await q.query(`CREATE TABLE sso_requests (
      tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      protocol text NOT NULL CHECK (protocol IN ('oidc', 'saml')),
      state_hash text NOT NULL,
      -- OIDC: the nonce; SAML: the AuthnRequest id the assertion must answer.
      nonce text NOT NULL,
      code_verifier text NOT NULL,
      expires_at timestamptz NOT NULL,
      consumed_at timestamptz,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id)
    )`);
    await q.query(`CREATE UNIQUE INDEX sso_requests_state ON sso_requests (state_hash)`);
    await enableTenantRls(q, 'sso_requests');

    await q.query(`CREATE TABLE sso_saml_assertions (
      tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
      assertion_id text NOT NULL CHECK (char_length(assertion_id) <= 500),
      expires_at timestamptz NOT NULL,
      PRIMARY KEY (tenant_id, assertion_id)
    )`);
    await enableTenantRls(q, 'sso_saml_assertions');

    await q.query(`CREATE TABLE sso_login_codes (
      tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      code_hash text NOT NULL,
      user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      expires_at timestamptz NOT NULL,
      used_at timestamptz,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id)
    )`);
    await q.query(`CREATE UNIQUE INDEX sso_login_codes_hash ON sso_login_codes (code_hash)`);
    await enableTenantRls(q, 'sso_login_codes');

    await q.query(`CREATE TABLE scim_tokens (
      tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      prefix text NOT NULL,
      secret_hash text NOT NULL,
      created_by uuid,
      last_used_at timestamptz,
      revoked_at timestamptz,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id)
    )`);
    await q.query(`CREATE UNIQUE INDEX scim_tokens_prefix ON scim_tokens (prefix)`);
    await enableTenantRls(q, 'scim_tokens');

    await q.query(`CREATE TABLE scim_users (
      tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      user_name text NOT NULL CHECK (user_name = lower(user_name) AND char_length(user_name) <= 254),
      external_id text CHECK (char_length(external_id) <= 500),
      given_name text CHECK (char_length(given_name) <= 200),
      family_name text CHECK (char_length(family_name) <= 200),
      display_name text CHECK (char_length(display_name) <= 200),
      active boolean NOT NULL DEFAULT true,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      updated_at timestamptz(3) NOT NULL DEFAULT now(),
      version int NOT NULL DEFAULT 1,
      PRIMARY KEY (tenant_id, id),
      UNIQUE (tenant_id, user_id),
      UNIQUE (tenant_id, user_name)
    )`);
    await enableTenantRls(q, 'scim_users');
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['scim_users', 'scim_tokens', 'sso_login_codes', 'sso_saml_assertions', 'sso_requests', 'sso_domains', 'sso_connections']) {
      await q.query(`DROP TABLE IF EXISTS ${table} CASCADE`);
    }
    await q.query(`DELETE FROM platform_secrets WHERE name = 'sso_secret_key'`);
  }
}
