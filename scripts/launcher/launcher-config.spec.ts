import { LauncherConfigError, loadLauncherConfig } from './launcher-config';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadLauncherConfig(env, '/repo');
  } catch (error) {
    if (error instanceof LauncherConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected the configuration to be rejected');
}

describe('loadLauncherConfig', () => {
  it('applies the defaults to an empty environment', () => {
    const config = loadLauncherConfig({}, '/repo');
    expect(config).toMatchObject({
      nodeEnv: 'development',
      apiPort: 3000,
      workerPort: 3001,
      embeddedPgPort: 54329,
      dataDir: '/repo/.data',
      colorAllowed: true,
    });
    expect(config.databaseUrl).toBeUndefined();
    expect(config.redisUrl).toBeUndefined();
    expect(config.platformAdminKey).toBeUndefined();
    expect(config.logFormat).toBeUndefined();
    expect(config.embeddedPgSharedBuffers).toBeUndefined();
  });

  it('treats empty variables as unset', () => {
    const config = loadLauncherConfig({ DATABASE_URL: '', PORT: '', LOG_FORMAT: '' }, '/repo');
    expect(config.databaseUrl).toBeUndefined();
    expect(config.apiPort).toBe(3000);
    expect(config.logFormat).toBeUndefined();
  });

  it('reads the values it is given', () => {
    const config = loadLauncherConfig(
      {
        NODE_ENV: 'production',
        DATABASE_URL: 'postgresql://u:p@db:5432/app',
        REDIS_URL: 'rediss://cache:6380',
        PORT: '8080',
        WORKER_PORT: '8081',
        EMBEDDED_PG_PORT: '0',
        EMBEDDED_PG_SHARED_BUFFERS: '512MB',
        DATA_DIR: '/var/lib/switchboard',
        PLATFORM_ADMIN_KEY: 'x'.repeat(24),
        LOG_FORMAT: 'json',
        NO_COLOR: '1',
      },
      '/repo',
    );
    expect(config).toMatchObject({
      nodeEnv: 'production',
      databaseUrl: 'postgresql://u:p@db:5432/app',
      redisUrl: 'rediss://cache:6380',
      apiPort: 8080,
      workerPort: 8081,
      embeddedPgPort: 0,
      embeddedPgSharedBuffers: '512MB',
      dataDir: '/var/lib/switchboard',
      platformAdminKey: 'x'.repeat(24),
      logFormat: 'json',
      colorAllowed: false,
    });
  });

  it('resolves a relative DATA_DIR against the working directory', () => {
    expect(loadLauncherConfig({ DATA_DIR: 'tmp/data' }, '/repo').dataDir).toBe('/repo/tmp/data');
  });

  it('keeps the whole environment for the children', () => {
    const config = loadLauncherConfig({ PATH: '/usr/bin', WORKER_QUEUES: 'outbox', EMPTY: '' }, '/repo');
    expect(config.inheritedEnv).toEqual({ PATH: '/usr/bin', WORKER_QUEUES: 'outbox', EMPTY: '' });
  });

  it('names the variable and shows the bad value', () => {
    expect(problemsOf({ PORT: 'abc' })).toEqual([expect.stringMatching(/^PORT: .*whole number.*\(got "abc"\)$/)]);
    expect(problemsOf({ WORKER_PORT: '70000' })).toEqual([expect.stringMatching(/^WORKER_PORT: /)]);
    expect(problemsOf({ PORT: '0' })).toEqual([expect.stringMatching(/^PORT: /)]);
    expect(problemsOf({ EMBEDDED_PG_SHARED_BUFFERS: '2GB' })).toEqual([expect.stringMatching(/^EMBEDDED_PG_SHARED_BUFFERS: .*\(got "2GB"\)$/)]);
    expect(problemsOf({ EMBEDDED_PG_SHARED_BUFFERS: '512' })).toEqual([expect.stringMatching(/^EMBEDDED_PG_SHARED_BUFFERS: /)]);
    expect(problemsOf({ LOG_FORMAT: 'xml' })).toEqual([expect.stringMatching(/^LOG_FORMAT: .*\(got "xml"\)$/)]);
    expect(problemsOf({ NODE_ENV: 'staging' })).toEqual([expect.stringMatching(/^NODE_ENV: /)]);
  });

  it('reports every bad variable at once', () => {
    expect(problemsOf({ PORT: 'x', EMBEDDED_PG_PORT: '-1' })).toHaveLength(2);
  });

  it('never echoes values that may hold credentials', () => {
    const problems = problemsOf({
      DATABASE_URL: 'mysql://root:hunter2@db/app',
      REDIS_URL: 'http://:s3cret@cache',
      PLATFORM_ADMIN_KEY: 'short-secret',
    });
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).not.toMatch(/hunter2|s3cret|short-secret/);
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(['DATABASE_URL', 'PLATFORM_ADMIN_KEY', 'REDIS_URL']);
  });

  it('says it all in the error message', () => {
    expect(() => loadLauncherConfig({ PORT: 'abc' }, '/repo')).toThrow(/Invalid environment:\n {2}- PORT: /);
  });
});
