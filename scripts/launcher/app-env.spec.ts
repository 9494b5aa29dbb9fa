import { buildAppEnv, type ResolvedServices } from './app-env';
import { loadLauncherConfig } from './launcher-config';

const services: ResolvedServices = {
  databaseUrl: 'postgres://postgres:postgres@127.0.0.1:54329/postgres',
  redisUrl: 'redis://127.0.0.1:6379',
  platformAdminKey: 'sb_admin_abc',
  prettyLogsAvailable: true,
  color: false,
};

describe('buildAppEnv', () => {
  it('passes the resolved services and settings on top of the inherited environment', () => {
    const config = loadLauncherConfig({ PATH: '/bin', WORKER_QUEUES: 'outbox', PORT: '4000' }, '/repo');
    expect(buildAppEnv(config, services)).toEqual({
      PATH: '/bin',
      WORKER_QUEUES: 'outbox',
      NODE_ENV: 'development',
      DATABASE_URL: services.databaseUrl,
      REDIS_URL: services.redisUrl,
      PLATFORM_ADMIN_KEY: 'sb_admin_abc',
      PORT: '4000',
      WORKER_PORT: '3001',
      DATA_DIR: '/repo/.data',
      LOG_FORMAT: 'pretty',
    });
  });

  it('picks pretty logs only when pino-pretty is there and LOG_FORMAT is not set', () => {
    const config = loadLauncherConfig({}, '/repo');
    expect(buildAppEnv(config, { ...services, prettyLogsAvailable: false }).LOG_FORMAT).toBe('json');
    expect(buildAppEnv(loadLauncherConfig({ LOG_FORMAT: 'json' }), services).LOG_FORMAT).toBe('json');
  });

  it('replaces an inherited DATABASE_URL or REDIS_URL by the resolved one', () => {
    const config = loadLauncherConfig({ REDIS_URL: 'redis://elsewhere:6379' }, '/repo');
    expect(buildAppEnv(config, services).REDIS_URL).toBe(services.redisUrl);
  });

  it('leaves PLATFORM_ADMIN_KEY out when there is none', () => {
    const env = buildAppEnv(loadLauncherConfig({}, '/repo'), { ...services, platformAdminKey: undefined });
    expect(env).not.toHaveProperty('PLATFORM_ADMIN_KEY');
  });

  it('asks for colours when the launcher shows them, unless the user decided', () => {
    expect(buildAppEnv(loadLauncherConfig({}, '/repo'), { ...services, color: true }).FORCE_COLOR).toBe('1');
    expect(buildAppEnv(loadLauncherConfig({ FORCE_COLOR: '0' }, '/repo'), { ...services, color: true }).FORCE_COLOR).toBe('0');
  });
});
