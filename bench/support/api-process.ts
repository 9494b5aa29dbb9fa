import { open } from 'node:fs/promises';
import { join } from 'node:path';
import type { Cleanup } from './cleanup';
import { freePort, startNodeProcess, type NodeProcess } from './node-process';

export interface BenchApi {
  process: NodeProcess;
  url: string;
  port: number;
  logPath: string;
}

/**
 * The real api as a child process, configured as in production, with pino writing straight to a
 * file: reading a pipe would cost the bench process (and so the load generator) CPU.
 */
export async function startBenchApi(options: {
  host: string;
  databaseUrl: string;
  workDir: string;
  runId: string;
  adminKey: string;
  cleanup: Cleanup;
  env?: Record<string, string>;
}): Promise<BenchApi> {
  const port = await freePort();
  const logPath = join(options.workDir, 'api.log');
  const log = await open(logPath, 'w');
  const child = startNodeProcess(
    {
      label: 'api',
      script: join(__dirname, '..', '..', 'apps', 'api', 'src', 'main.js'),
      stdoutFd: log.fd,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        DATABASE_URL: options.databaseUrl,
        REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
        HOST: options.host,
        PORT: String(port),
        LOG_LEVEL: 'info',
        LOG_FORMAT: 'json',
        HTTP_LOG_REQUESTS: 'true',
        QUEUE_PREFIX: `bench-${options.runId}`,
        PLATFORM_ADMIN_KEY: options.adminKey,
        CORS_ORIGINS: '',
        ...options.env,
      },
    },
    options.cleanup,
  );
  await log.close(); // the child holds its own descriptor
  return { process: child, url: `http://${options.host}:${port}`, port, logPath };
}
