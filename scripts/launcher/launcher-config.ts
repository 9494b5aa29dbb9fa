import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { SHARED_BUFFERS_PATTERN } from '../../libs/platform/src/database/embedded/embedded-postgres';

/**
 * The launcher's view of its environment. This is the only launcher file that reads process.env:
 * everything else receives a LauncherConfig (and `inheritedEnv` is what children start from).
 */

const port = (min: number) => {
  const message = `expected a whole number from ${min} to 65535`;
  return z.coerce.number({ error: message }).int(message).min(min, message).max(65535, message);
};

/** Values that may hold credentials are never echoed back in error messages. */
const SECRET_VARIABLES = new Set(['DATABASE_URL', 'REDIS_URL', 'PLATFORM_ADMIN_KEY']);

const urlWithScheme = (schemes: RegExp, example: string) =>
  z
    .string()
    .refine((v) => URL.canParse(v) && schemes.test(v), `expected a URL such as ${example}`);

const schema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  DATABASE_URL: urlWithScheme(/^postgres(ql)?:\/\//, 'postgres://user:password@host:5432/db').optional(),
  REDIS_URL: urlWithScheme(/^rediss?:\/\//, 'redis://127.0.0.1:6379').optional(),
  PORT: port(1).default(3000),
  WORKER_PORT: port(1).default(3001),
  EMBEDDED_PG_PORT: port(0).default(54329),
  EMBEDDED_PG_SHARED_BUFFERS: z.string().regex(SHARED_BUFFERS_PATTERN, 'expected a size from 16MB to 1GB such as 128MB, 512MB or 1GB').optional(),
  DATA_DIR: z.string().default('.data'),
  PLATFORM_ADMIN_KEY: z.string().min(24, 'must be at least 24 characters').optional(),
  LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
  NO_COLOR: z.string().optional(),
});

export interface LauncherConfig {
  nodeEnv: 'development' | 'test' | 'production';
  databaseUrl?: string;
  redisUrl?: string;
  apiPort: number;
  workerPort: number;
  embeddedPgPort: number;
  /** The embedded database's buffer cache (PostgreSQL `shared_buffers`); PGlite's 128MB when unset. */
  embeddedPgSharedBuffers?: string;
  /** Absolute. */
  dataDir: string;
  platformAdminKey?: string;
  logFormat?: 'json' | 'pretty';
  /** False when NO_COLOR is set; colours also need a TTY. */
  colorAllowed: boolean;
  /** The launcher's own environment, the base of every child's environment. */
  inheritedEnv: Record<string, string>;
}

export class LauncherConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'LauncherConfigError';
  }
}

export function loadLauncherConfig(
  env: Record<string, string | undefined> = process.env,
  cwd: string = process.cwd(),
): LauncherConfig {
  const inheritedEnv = definedEntries(env);
  // Shells and compose files produce empty variables; treat them as unset.
  const set = Object.fromEntries(Object.entries(inheritedEnv).filter(([, v]) => v !== ''));
  const result = schema.safeParse(set);
  if (!result.success) {
    throw new LauncherConfigError(
      result.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? 'environment');
        const shown = SECRET_VARIABLES.has(name) || set[name] === undefined ? '' : ` (got "${set[name]}")`;
        return `${name}: ${issue.message}${shown}`;
      }),
    );
  }
  const v = result.data;
  return {
    nodeEnv: v.NODE_ENV,
    databaseUrl: v.DATABASE_URL,
    redisUrl: v.REDIS_URL,
    apiPort: v.PORT,
    workerPort: v.WORKER_PORT,
    embeddedPgPort: v.EMBEDDED_PG_PORT,
    embeddedPgSharedBuffers: v.EMBEDDED_PG_SHARED_BUFFERS,
    dataDir: isAbsolute(v.DATA_DIR) ? v.DATA_DIR : resolve(cwd, v.DATA_DIR),
    platformAdminKey: v.PLATFORM_ADMIN_KEY,
    logFormat: v.LOG_FORMAT,
    colorAllowed: v.NO_COLOR === undefined,
    inheritedEnv,
  };
}

function definedEntries(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) out[key] = value;
  return out;
}
