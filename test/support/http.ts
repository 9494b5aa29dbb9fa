import { createHmac, randomInt } from 'node:crypto';
import { Client } from 'pg';

/** Every error the api sends is problem+json. */
export const PROBLEM = /^application\/problem\+json/;

/** A uuid no row has. */
export const RANDOM_UUID = '6f1c1c36-55a4-4f43-9d7c-0d1a1e0b9a11';

export interface HttpResult {
  status: number;
  headers: Headers;
  /** Parsed JSON when the body is JSON, the text otherwise, undefined when empty. */
  body: any;
  text: string;
}

/** One HTTP call: JSON in (objects are stringified, strings sent as is), JSON or text out. */
export async function http(
  baseUrl: string,
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: unknown } = {},
): Promise<HttpResult> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
  }
  const res = await fetch(`${baseUrl}${path}`, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = undefined;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  return { status: res.status, headers: res.headers, body: parsed, text };
}

/** A small client bound to one api: `client.get('/v1/me', headers)`. */
export function client(baseUrl: string) {
  return {
    get: (path: string, headers?: Record<string, string>) => http(baseUrl, 'GET', path, { headers }),
    delete: (path: string, headers?: Record<string, string>) => http(baseUrl, 'DELETE', path, { headers }),
    post: (path: string, body?: unknown, headers?: Record<string, string>) => http(baseUrl, 'POST', path, { headers, body }),
    patch: (path: string, body?: unknown, headers?: Record<string, string>) => http(baseUrl, 'PATCH', path, { headers, body }),
    put: (path: string, body?: unknown, headers?: Record<string, string>) => http(baseUrl, 'PUT', path, { headers, body }),
  };
}

/** Authorization header for an access token or API key. */
export const bearer = (token: string, extra: Record<string, string> = {}): Record<string, string> => ({ authorization: `Bearer ${token}`, ...extra });

/** Asserts a problem+json answer with this status and returns its body. */
export function expectProblem(res: HttpResult, status: number, type?: string): any {
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${res.text}`);
  expect(res.headers.get('content-type')).toMatch(PROBLEM);
  expect(res.body).toMatchObject({ status });
  expect(typeof res.body.type).toBe('string');
  expect(typeof res.body.title).toBe('string');
  expect(typeof res.body.detail).toBe('string');
  if (type) expect(res.body.type).toBe(`https://switchboard.dev/problems/${type}`);
  return res.body;
}

/** Asserts a non-error status, showing the body when it is not. */
export function expectStatus(res: HttpResult, status: number): any {
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${res.text}`);
  return res.body;
}

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A hand-made JWT: HS256/HS384/HS512 with `secret`, or unsigned when alg is "none". */
export function craftJwt(payload: Record<string, unknown>, secret: string | null, header: Record<string, unknown> = { alg: 'HS256', typ: 'JWT' }): string {
  const data = `${b64url(header)}.${b64url(payload)}`;
  const alg = String(header.alg);
  if (alg === 'none' || secret === null) return `${data}.`;
  const digest = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' }[alg] ?? 'sha256';
  return `${data}.${createHmac(digest, secret).update(data).digest('base64url')}`;
}

/** A documentation-range client address (via X-Forwarded-For from loopback), so per-IP budgets are the test's own. */
export const uniqueIp = () => `198.51.${randomInt(0, 256)}.${randomInt(1, 255)}`;

/**
 * Runs `work` in one transaction on the run's database as the application role with
 * `app.tenant_id` pinned, exactly as a tenant transaction of the api does; always rolled back.
 * Transactions serialise on the embedded database, so keep `work` short.
 */
export async function asTenantRole<T>(tenantId: string, work: (db: Client) => Promise<T>): Promise<T> {
  const db = new Client({ connectionString: process.env.E2E_DATABASE_URL });
  await db.connect();
  try {
    await db.query('BEGIN');
    try {
      await db.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantId]);
      await db.query('SET LOCAL ROLE switchboard_app');
      return await work(db);
    } finally {
      await db.query('ROLLBACK');
    }
  } finally {
    await db.end();
  }
}

/** The Postgres error code a statement fails with, or null when it succeeds (run inside a savepoint). */
export async function pgErrorCode(db: Client, sql: string, params: unknown[] = []): Promise<string | null> {
  await db.query('SAVEPOINT probe');
  try {
    await db.query(sql, params);
    await db.query('RELEASE SAVEPOINT probe');
    return null;
  } catch (error) {
    await db.query('ROLLBACK TO SAVEPOINT probe');
    return (error as { code?: string }).code ?? 'unknown';
  }
}
