import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { redactUrl } from './launcher/redact';

/** A database of its own on an external PostgreSQL server, migrated, for one test or bench run. */
export interface ScratchDatabase {
  /** Where the apps connect: the server URL with the scratch database's name as its path. */
  url: string;
  name: string;
  /** Drops the database, ending any session still connected to it. */
  drop(): Promise<void>;
}

/** `prefix_<hex>`: lower case, so it needs no quoting and survives a round trip through a URL. */
function scratchName(prefix: string): string {
  if (!/^[a-z][a-z0-9_]{0,40}$/.test(prefix)) throw new Error(`scratch database prefix must be a lower-case identifier, got "${prefix}"`);
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}

/** The same server and credentials, another database. */
function withDatabaseName(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function onServer<T>(serverUrl: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: serverUrl, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(`cannot reach PostgreSQL at ${redactUrl(serverUrl)}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Creates a fresh database on the server `serverUrl` points at (any database the login role may
 * connect to serves; it needs CREATEDB), migrates it with the real migration entry point
 * (`migrateScript`, the built `dist/scripts/migrate.js`), and returns how to reach and drop it. The
 * server must have the pgvector extension available; the migration's error says so if it has not.
 *
 * Runs that start together on one server migrate one after the other (a session advisory lock on
 * the server URL's database): the first migration creates the cluster-wide application role, and
 * two creating it at once would fail one of them.
 */
export async function createScratchDatabase(
  serverUrl: string,
  options: { prefix: string; migrateScript: string; signal?: AbortSignal },
): Promise<ScratchDatabase> {
  const { prefix, migrateScript, signal } = options;
  const name = scratchName(prefix);
  await onServer(serverUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = withDatabaseName(serverUrl, name);
  const drop = () => onServer(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined);
  try {
    await onServer(serverUrl, async (client) => {
      await client.query(`SELECT pg_advisory_lock(hashtext('switchboard scratch database migration'))`);
      await promisify(execFile)(process.execPath, [migrateScript], { env: { ...process.env, DATABASE_URL: url }, signal });
    });
  } catch (error) {
    await drop().catch(() => undefined);
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new Error(`migrating the scratch database ${name} failed${stderr ? `:\n${stderr}` : ''}`, { cause: error });
  }
  return { url, name, drop };
}
