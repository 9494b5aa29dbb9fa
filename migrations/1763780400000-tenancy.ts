import type { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_DB_ROLE } from '../libs/platform/src/database/data-source-options';
import { CURRENT_TENANT, enableTenantRls } from '../libs/platform/src/database/migration-helpers';

export class Tenancy1763780400000 implements MigrationInterface {
  name = 'Tenancy1763780400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pgcrypto`);
    // Secrets the platform generates for itself (JWT signing key), so a fresh install needs no config.
    await q.query(`CREATE TABLE platform_secrets (
      name text PRIMARY KEY,
      value text NOT NULL,
      created_at timestamptz(3) NOT NULL DEFAULT now()
    )`);
    await q.query(`INSERT INTO platform_secrets (name, value) VALUES ('jwt_signing_key', encode(gen_random_bytes(48), 'base64'))`);

    await q.query(`CREATE TABLE tenants (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      slug text NOT NULL CHECK (slug ~ '^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$'),
      name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
      timezone text NOT NULL DEFAULT 'UTC',
      locale text NOT NULL DEFAULT 'en',
      status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'deleting')),
      settings jsonb NOT NULL DEFAULT '{}',
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      version int NOT NULL DEFAULT 1
    )`);
    await q.query(`CREATE UNIQUE INDEX tenants_slug ON tenants (slug)`);
    // A tenant's own row is visible to its transactions; creating and deleting tenants is platform work.
    await q.query(`ALTER TABLE tenants ENABLE ROW LEVEL SECURITY`);
    await q.query(`CREATE POLICY tenant_isolation ON tenants USING (id = ${CURRENT_TENANT})`);
    await q.query(`GRANT SELECT, UPDATE ON tenants TO ${APP_DB_ROLE}`);

    await q.query(`CREATE TABLE users (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      email text NOT NULL CHECK (email = lower(email) AND char_length(email) <= 254),
      name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
      password_hash text,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      version int NOT NULL DEFAULT 1
    )`);
    await q.query(`CREATE UNIQUE INDEX users_email ON users (email)`);

    await q.query(`CREATE TABLE memberships (
      tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      role text NOT NULL CHECK (role IN ('owner', 'admin', 'agent', 'technician', 'viewer')),
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      version int NOT NULL DEFAULT 1,
      PRIMARY KEY (tenant_id, id),
      UNIQUE (tenant_id, user_id)
    )`);
    await q.query(`CREATE INDEX memberships_user ON memberships (user_id)`);
    await enableTenantRls(q, 'memberships');

    // Users span tenants: a tenant transaction sees only its members' user rows.
    await q.query(`ALTER TABLE users ENABLE ROW LEVEL SECURITY`);
    await q.query(`CREATE POLICY member_of_current_tenant ON users USING (
      EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = users.id AND m.tenant_id = ${CURRENT_TENANT}))`);
    await q.query(`GRANT SELECT, UPDATE (name, password_hash, updated_at, version) ON users TO ${APP_DB_ROLE}`);

    await q.query(`CREATE TABLE invitations (
      tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      email text NOT NULL,
      role text NOT NULL CHECK (role IN ('owner', 'admin', 'agent', 'technician', 'viewer')),
      token_hash text NOT NULL,
      invited_by uuid,
      expires_at timestamptz NOT NULL,
      accepted_at timestamptz,
      revoked_at timestamptz,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      version int NOT NULL DEFAULT 1,
      PRIMARY KEY (tenant_id, id)
    )`);
    await q.query(`CREATE UNIQUE INDEX invitations_token ON invitations (token_hash)`);
    await enableTenantRls(q, 'invitations');

    await q.query(`CREATE TABLE refresh_tokens (
      tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      family_id uuid NOT NULL,
      token_hash text NOT NULL,
      expires_at timestamptz NOT NULL,
      rotated_at timestamptz,
      revoked_at timestamptz,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id)
    )`);
    await q.query(`CREATE UNIQUE INDEX refresh_tokens_hash ON refresh_tokens (token_hash)`);
    await q.query(`CREATE INDEX refresh_tokens_family ON refresh_tokens (tenant_id, family_id)`);
    await enableTenantRls(q, 'refresh_tokens');

    await q.query(`CREATE TABLE api_keys (
      tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
      prefix text NOT NULL,
      secret_hash text NOT NULL,
      scopes text[] NOT NULL,
      created_by uuid,
      last_used_at timestamptz,
      revoked_at timestamptz,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      version int NOT NULL DEFAULT 1,
      PRIMARY KEY (tenant_id, id)
    )`);
    await q.query(`CREATE UNIQUE INDEX api_keys_prefix ON api_keys (prefix)`);
    await enableTenantRls(q, 'api_keys');

    await q.query(`CREATE TABLE audit_logs (
      tenant_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      actor_type text NOT NULL CHECK (actor_type IN ('user', 'api_key', 'system', 'platform_admin')),
      actor_id text,
      impersonator_id text,
      action text NOT NULL,
      entity_type text NOT NULL,
      entity_id text,
      changes jsonb NOT NULL DEFAULT '{}',
      request_id text,
      ip text,
      user_agent text,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id)
    )`);
    await q.query(`CREATE INDEX audit_logs_recent ON audit_logs (tenant_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX audit_logs_entity ON audit_logs (tenant_id, entity_type, entity_id)`);
    // Append-only: the application role may write and read entries, never change or remove them.
    await enableTenantRls(q, 'audit_logs', ['SELECT', 'INSERT']);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['audit_logs', 'api_keys', 'refresh_tokens', 'invitations', 'users', 'memberships', 'tenants', 'platform_secrets']) {
      await q.query(`DROP TABLE IF EXISTS ${table} CASCADE`);
    }
  }
}
