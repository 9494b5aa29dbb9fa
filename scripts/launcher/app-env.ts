import type { LauncherConfig } from './launcher-config';

export interface ResolvedServices {
  databaseUrl: string;
  redisUrl: string;
  platformAdminKey?: string;
  /** pino-pretty can be loaded, so pretty logs are possible. */
  prettyLogsAvailable: boolean;
  /** The launcher shows colours, so the apps may too even though their stdout is a pipe. */
  color: boolean;
}

/** The environment api, worker, migrate and seed run with: the launcher's own plus what it resolved. */
export function buildAppEnv(config: LauncherConfig, services: ResolvedServices): Record<string, string> {
  const env: Record<string, string> = {
    ...config.inheritedEnv,
    NODE_ENV: config.nodeEnv,
    DATABASE_URL: services.databaseUrl,
    REDIS_URL: services.redisUrl,
    PORT: String(config.apiPort),
    WORKER_PORT: String(config.workerPort),
    DATA_DIR: config.dataDir,
    LOG_FORMAT: config.logFormat ?? (services.prettyLogsAvailable ? 'pretty' : 'json'),
  };
  if (services.platformAdminKey) env.PLATFORM_ADMIN_KEY = services.platformAdminKey;
  if (services.color && env.FORCE_COLOR === undefined) env.FORCE_COLOR = '1';
  return env;
}
