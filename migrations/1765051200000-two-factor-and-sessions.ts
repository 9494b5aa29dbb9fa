import type { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_DB_ROLE } from '../libs/platform/src/database/data-source-options';
import { CURRENT_TENANT, enableTenantRls } from '../libs/platform/src/database/migration-helpers';

/**
 * Sign-in sessions and second factors (ADR 0032). A session is one sign-in in one tenant (its id
 * is the refresh-token family and the access tokens' `sid`). Second factors belong to the user,
 * like the password: they are visible to a tenant's transactions only while the user is a member
 * there, the same rule as `users`.
 */
export class TwoFactorAndSessions1765051200000 implements MigrationInterface {
  name = 'TwoFactorAndSessions1765051200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`INSERT INTO platform_secrets (name, value) VALUES ('auth_encryption_key', encode(gen_random_bytes(32), 'base64')) ON CONFLICT (name) DO NOTHING`);

    await q.query(`CREATE TABLE sessions (
      tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
      id uuid NOT NULL,
      user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      method text NOT NULL CHECK (char_length(method) <= 50),
      ip text,
      user_agent text,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      last_used_at timestamptz(3) NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      revoked_at timestamptz,
      revoked_reason text,
      PRIMARY KEY (tenant_id, id)
    )`);
    await q.query(`CREATE INDEX sessions_user ON sessions (tenant_id, user_id, last_used_at DESC)`);
    await q.query(`CREATE INDEX sessions_expires_at ON sessions (expires_at)`);
    await enableTenantRls(q, 'sessions');

    await q.query(`ALTER TABLE tenants ADD COLUMN require_two_factor boolean NOT NULL DEFAULT false`);

    const memberOfCurrentTenant = `EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = %I.user_id AND m.tenant_id = ${CURRENT_TENANT})`;
    await q.query(`CREATE TABLE user_totp (
      user_id uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
      key_id text NOT NULL,
      secret_enc bytea NOT NULL,
      confirmed_at timestamptz,
      last_time_step bigint,
      created_at timestamptz(3) NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE TABLE user_recovery_codes (
      user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      code_hash text NOT NULL,
      used_at timestamptz,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      PRIMARY KEY (user_id, code_hash)
    )`);
    await q.query(`CREATE TABLE webauthn_credentials (
      user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      credential_id text NOT NULL,
      public_key bytea NOT NULL,
      counter bigint NOT NULL DEFAULT 0,
      transports text[] NOT NULL DEFAULT '{}',
      name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      last_used_at timestamptz,
      PRIMARY KEY (user_id, id)
    )`);
    await q.query(`CREATE UNIQUE INDEX webauthn_credentials_credential_id ON webauthn_credentials (credential_id)`);
    for (const table of ['user_totp', 'user_recovery_codes', 'webauthn_credentials']) {
      await q.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      const check = memberOfCurrentTenant.replace('%I', table);
      await q.query(`CREATE POLICY member_of_current_tenant ON ${table} USING (${check}) WITH CHECK (${check})`);
      await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ${table} TO ${APP_DB_ROLE}`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['webauthn_credentials', 'user_recovery_codes', 'user_totp', 'sessions']) await q.query(`DROP TABLE IF EXISTS ${table}`);
    await q.query(`ALTER TABLE tenants DROP COLUMN IF EXISTS require_two_factor`);
    await q.query(`DELETE FROM platform_secrets WHERE name = 'auth_encryption_key'`);
  }
}
