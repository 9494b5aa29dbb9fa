import type { EntityManager } from 'typeorm';

type Queryable = Pick<EntityManager, 'query'>;

/** A TOTP secret as stored: encrypted (SecretBox, the user id as associated data). */
export interface StoredTotp {
  keyId: string;
  secretEnc: Buffer;
  confirmed: boolean;
  lastTimeStep: number | null;
}

export interface WebAuthnCredentialRow {
  id: string;
  credentialId: string;
  publicKey: Buffer;
  counter: number;
  transports: string[];
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
}

/** What a user has enrolled, without secrets. */
export interface FactorSummary {
  totp: boolean;
  webauthn: number;
  recoveryCodesLeft: number;
}

export async function factorSummary(q: Queryable, userId: string): Promise<FactorSummary> {
  const rows: { totp: boolean; webauthn: string; codes: string }[] = await q.query(
    `SELECT EXISTS (SELECT 1 FROM user_totp WHERE user_id = $1 AND confirmed_at IS NOT NULL) AS totp,
            (SELECT count(*) FROM webauthn_credentials WHERE user_id = $1) AS webauthn,
            (SELECT count(*) FROM user_recovery_codes WHERE user_id = $1 AND used_at IS NULL) AS codes`,
    [userId],
  );
  const r = rows[0]!;
  return { totp: r.totp, webauthn: Number(r.webauthn), recoveryCodesLeft: Number(r.codes) };
}

export async function findTotp(q: Queryable, userId: string, lock = false): Promise<StoredTotp | undefined> {
  const rows: { key_id: string; secret_enc: Buffer; confirmed_at: Date | null; last_time_step: string | null }[] = await q.query(
    `SELECT key_id, secret_enc, confirmed_at, last_time_step FROM user_totp WHERE user_id = $1${lock ? ' FOR UPDATE' : ''}`,
    [userId],
  );
  const r = rows[0];
  return r && { keyId: r.key_id, secretEnc: r.secret_enc, confirmed: r.confirmed_at !== null, lastTimeStep: r.last_time_step === null ? null : Number(r.last_time_step) };
}

/** A new, unconfirmed secret replaces an unconfirmed one; a confirmed one is never overwritten here. */
export async function upsertPendingTotp(q: Queryable, userId: string, keyId: string, secretEnc: Buffer): Promise<boolean> {
  const rows: unknown[] = await q.query(
    `INSERT INTO user_totp (user_id, key_id, secret_enc) VALUES ($1, $2, $3)
     ON CONFLICT (user_id) DO UPDATE SET key_id = EXCLUDED.key_id, secret_enc = EXCLUDED.secret_enc, created_at = now(), last_time_step = NULL
       WHERE user_totp.confirmed_at IS NULL
     RETURNING user_id`,
    [userId, keyId, secretEnc],
  );
  return rows.length > 0;
}

export async function confirmTotp(q: Queryable, userId: string, timeStep: number): Promise<void> {
  await q.query(`UPDATE user_totp SET confirmed_at = now(), last_time_step = $2 WHERE user_id = $1`, [userId, timeStep]);
}

/** Remembers the step of the code just accepted; false when another request used it (or a later one) first. */
export async function recordTotpStep(q: Queryable, userId: string, timeStep: number): Promise<boolean> {
  const result: [unknown[], number] = await q.query(
    `UPDATE user_totp SET last_time_step = $2 WHERE user_id = $1 AND (last_time_step IS NULL OR last_time_step < $2)`,
    [userId, timeStep],
  );
  return result[1] > 0;
}

export async function replaceRecoveryCodes(q: Queryable, userId: string, hashes: string[]): Promise<void> {
  await q.query(`DELETE FROM user_recovery_codes WHERE user_id = $1`, [userId]);
  await q.query(`INSERT INTO user_recovery_codes (user_id, code_hash) SELECT $1, unnest($2::text[])`, [userId, hashes]);
}

/** Spends a recovery code: true exactly once per code. */
export async function useRecoveryCode(q: Queryable, userId: string, hash: string): Promise<boolean> {
  const result: [unknown[], number] = await q.query(
    `UPDATE user_recovery_codes SET used_at = now() WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL`,
    [userId, hash],
  );
  return result[1] > 0;
}

const CREDENTIAL_COLUMNS = 'id, credential_id, public_key, counter, transports, name, created_at, last_used_at';
interface CredentialDbRow {
  id: string;
  credential_id: string;
  public_key: Buffer;
  counter: string;
  transports: string[];
  name: string;
  created_at: Date;
  last_used_at: Date | null;
}
const toCredential = (r: CredentialDbRow): WebAuthnCredentialRow => ({
  id: r.id,
  credentialId: r.credential_id,
  publicKey: r.public_key,
  counter: Number(r.counter),
  transports: r.transports,
  name: r.name,
  createdAt: new Date(r.created_at).toISOString(),
  lastUsedAt: r.last_used_at ? new Date(r.last_used_at).toISOString() : null,
});

export async function listWebAuthnCredentials(q: Queryable, userId: string): Promise<WebAuthnCredentialRow[]> {
  const rows: CredentialDbRow[] = await q.query(`SELECT ${CREDENTIAL_COLUMNS} FROM webauthn_credentials WHERE user_id = $1 ORDER BY created_at, id`, [userId]);
  return rows.map(toCredential);
}

export async function insertWebAuthnCredential(
  q: Queryable,
  c: { userId: string; credentialId: string; publicKey: Buffer; counter: number; transports: string[]; name: string },
): Promise<WebAuthnCredentialRow | undefined> {
  const rows: CredentialDbRow[] = await q.query(
    `INSERT INTO webauthn_credentials (user_id, credential_id, public_key, counter, transports, name)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (credential_id) DO NOTHING RETURNING ${CREDENTIAL_COLUMNS}`,
    [c.userId, c.credentialId, c.publicKey, c.counter, c.transports, c.name],
  );
  return rows[0] && toCredential(rows[0]);
}

export async function recordWebAuthnUse(q: Queryable, userId: string, id: string, counter: number): Promise<void> {
  await q.query(`UPDATE webauthn_credentials SET counter = $3, last_used_at = now() WHERE user_id = $1 AND id = $2`, [userId, id, counter]);
}

export async function deleteWebAuthnCredential(q: Queryable, userId: string, id: string): Promise<WebAuthnCredentialRow | undefined> {
  const rows: CredentialDbRow[] = await q.query(
    `WITH d AS (DELETE FROM webauthn_credentials WHERE user_id = $1 AND id = $2 RETURNING ${CREDENTIAL_COLUMNS}) SELECT * FROM d`,
    [userId, id],
  );
  return rows[0] && toCredential(rows[0]);
}

/** Every factor and recovery code of the user. */
export async function deleteAllFactors(q: Queryable, userId: string): Promise<void> {
  await q.query(`DELETE FROM user_totp WHERE user_id = $1`, [userId]);
  await q.query(`DELETE FROM webauthn_credentials WHERE user_id = $1`, [userId]);
  await q.query(`DELETE FROM user_recovery_codes WHERE user_id = $1`, [userId]);
}

/** Whether the tenant requires a second factor of every member. */
export async function tenantRequiresTwoFactor(q: Queryable, tenantId: string): Promise<boolean> {
  const rows: { require_two_factor: boolean }[] = await q.query(`SELECT require_two_factor FROM tenants WHERE id = $1`, [tenantId]);
  return rows[0]?.require_two_factor ?? false;
}

export async function setTenantRequiresTwoFactor(q: Queryable, tenantId: string, required: boolean): Promise<boolean> {
  const rows: { before: boolean }[] = await q.query(
    `WITH old AS (SELECT require_two_factor AS before FROM tenants WHERE id = $1 FOR UPDATE),
          u AS (UPDATE tenants t SET require_two_factor = $2, updated_at = now(), version = t.version + 1 FROM old WHERE t.id = $1 RETURNING old.before)
     SELECT before FROM u`,
    [tenantId, required],
  );
  return rows[0]?.before ?? false;
}
