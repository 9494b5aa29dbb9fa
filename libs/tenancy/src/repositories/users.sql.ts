import type { EntityManager } from 'typeorm';

/**
 * Users span tenants: creating or finding one is platform work (privileged or system
 * transactions); what a user may do in a tenant is their membership's.
 */
export interface NewUser {
  email: string;
  name: string;
  passwordHash: string | null;
}

/** The user with this email, created if new; an existing user keeps their name and password. */
export async function upsertUser(m: EntityManager, user: NewUser): Promise<string> {
  const rows: { id: string }[] = await m.query(
    `INSERT INTO users (email, name, password_hash) VALUES ($1, $2, $3)
     ON CONFLICT (email) DO UPDATE SET email = EXCLUDED.email RETURNING id`,
    [user.email, user.name, user.passwordHash],
  );
  return rows[0].id;
}

export async function insertUser(m: EntityManager, id: string, user: NewUser): Promise<void> {
  await m.query(`INSERT INTO users (id, email, name, password_hash) VALUES ($1, $2, $3, $4)`, [id, user.email, user.name, user.passwordHash]);
}

export interface UserCredentials {
  id: string;
  passwordHash: string | null;
}

export async function findUserCredentials(m: EntityManager, email: string): Promise<UserCredentials | undefined> {
  const rows: { id: string; password_hash: string | null }[] = await m.query(`SELECT id, password_hash FROM users WHERE email = $1`, [email]);
  return rows[0] ? { id: rows[0].id, passwordHash: rows[0].password_hash } : undefined;
}

/** Of these users, deletes those who belong to no tenant any more. */
export async function deleteUsersWithoutTenant(m: EntityManager, userIds: string[]): Promise<void> {
  await m.query(`DELETE FROM users u WHERE u.id = ANY($1::uuid[]) AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = u.id)`, [userIds]);
}

export interface UserAccount {
  id: string;
  email: string;
  name: string;
  passwordHash: string | null;
}

/** The user, as a tenant transaction sees them (only a member of its tenant is visible). */
export async function findUserAccount(m: EntityManager, id: string, lock = false): Promise<UserAccount | undefined> {
  const rows: { id: string; email: string; name: string; password_hash: string | null }[] = await m.query(
    `SELECT id, email, name, password_hash FROM users WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
    [id],
  );
  const r = rows[0];
  return r && { id: r.id, email: r.email, name: r.name, passwordHash: r.password_hash };
}

export async function setUserPassword(m: EntityManager, id: string, passwordHash: string): Promise<void> {
  await m.query(`UPDATE users SET password_hash = $2, updated_at = now(), version = version + 1 WHERE id = $1`, [id, passwordHash]);
}
