import { z } from 'zod';
import { defineConfig, defineContext } from '../registry/context';
import { ConfigError, loadConfig } from './load-config';

const valid = { DATABASE_URL: 'postgres://u:p@localhost:5432/db', REDIS_URL: 'redis://127.0.0.1:6379' };

describe('loadConfig', () => {
  it('applies documented defaults', () => {
    const config = loadConfig(valid);
    expect(config).toMatchObject({ PORT: 3000, WORKER_PORT: 3001, DATA_DIR: '.data', LOG_LEVEL: 'info', BODY_LIMIT: 1024 * 1024 });
    expect(config.WORKER_QUEUES).toEqual(['outbox', 'platform', 'realtime']);
    expect(config).toMatchObject({ REALTIME_ADAPTER: 'redis', REALTIME_MAX_PAYLOAD_BYTES: 4096, REALTIME_EVENTS_PER_SECOND: 10, REALTIME_EVENT_BURST: 30, REALTIME_PRESENCE_TTL_MS: 30_000 });
    expect(() => loadConfig({ ...valid, REALTIME_ADAPTER: 'kafka' })).toThrow(/REALTIME_ADAPTER/);
  });

  it('names each missing or bad variable', () => {
    try {
      loadConfig({ PORT: '99999', BODY_LIMIT: 'lots' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join('\n');
      expect(problems).toMatch(/^DATABASE_URL: is required$/m);
      expect(problems).toMatch(/^REDIS_URL: is required$/m);
      expect(problems).toMatch(/^PORT: /m);
      expect(problems).toMatch(/^BODY_LIMIT: expected a size/m);
    }
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ ...valid, PORT: '', LOG_LEVEL: '' }).PORT).toBe(3000);
  });

  it('parses sizes and queue selections', () => {
    const config = loadConfig({ ...valid, BODY_LIMIT: '512kb', WORKER_QUEUES: ' platform ' });
    expect(config.BODY_LIMIT).toBe(512 * 1024);
    expect(config.WORKER_QUEUES).toEqual(['platform']);
    expect(loadConfig({ ...valid, WORKER_QUEUES: 'all' }).WORKER_QUEUES).toEqual(['outbox', 'platform', 'realtime']);
  });

  it('configures file storage: local by default, s3 with a bucket and consistent options', () => {
    expect(loadConfig(valid)).toMatchObject({ STORAGE_DRIVER: 'local', STORAGE_S3_SSE: 'none', STORAGE_S3_PART_SIZE: 8 * 1024 * 1024, STORAGE_PRESIGNED_DOWNLOADS: false, STORAGE_PRESIGNED_EXPIRY_SECONDS: 60 });
    const s3 = { ...valid, STORAGE_DRIVER: 's3', STORAGE_S3_BUCKET: 'files' };
    expect(loadConfig({ ...s3, STORAGE_S3_PART_SIZE: '16mb', STORAGE_S3_KEY_PREFIX: 'deploy-a/' })).toMatchObject({ STORAGE_S3_PART_SIZE: 16 * 1024 * 1024, STORAGE_S3_KEY_PREFIX: 'deploy-a/' });
    expect(() => loadConfig({ ...valid, STORAGE_DRIVER: 's3' })).toThrow(/STORAGE_S3_BUCKET: required when STORAGE_DRIVER is s3/);
    expect(() => loadConfig({ ...s3, STORAGE_S3_ACCESS_KEY_ID: 'only-one' })).toThrow(/set both or neither/);
    expect(() => loadConfig({ ...s3, STORAGE_S3_PART_SIZE: '1mb' })).toThrow(/STORAGE_S3_PART_SIZE: S3 parts are at least 5mb/);
    expect(() => loadConfig({ ...s3, STORAGE_S3_KEY_PREFIX: '../up/' })).toThrow(/STORAGE_S3_KEY_PREFIX/);
    expect(() => loadConfig({ ...s3, STORAGE_S3_BUCKET: 'Bad_Bucket' })).toThrow(/STORAGE_S3_BUCKET/);
    expect(() => loadConfig({ ...valid, STORAGE_PRESIGNED_DOWNLOADS: 'true' })).toThrow(/STORAGE_PRESIGNED_DOWNLOADS: only with STORAGE_DRIVER=s3/);
  });

  it('rejects a non-postgres database URL', () => {
    expect(() => loadConfig({ ...valid, DATABASE_URL: 'mysql://x@y/z' })).toThrow(/DATABASE_URL: expected a postgres/);
  });

  it('validates the slices the contexts register with the platform, and their rules across variables', () => {
    const slice = defineConfig('widgets', { WIDGET_LIMIT: z.coerce.number().int().min(1).default(5) }, (c) => (c.WIDGET_LIMIT > 10 && c.LOG_LEVEL === 'debug' ? ['WIDGET_LIMIT: too many to debug'] : []));
    const widgets = defineContext({ name: 'widgets', config: slice, queues: [{ name: 'widgets', description: 'test' }] });
    expect(loadConfig(valid, [widgets])).toMatchObject({ WIDGET_LIMIT: 5 });
    expect(() => loadConfig({ ...valid, WIDGET_LIMIT: 'many', PORT: 'x' }, [widgets])).toThrow(/WIDGET_LIMIT: [\s\S]*PORT: |PORT: [\s\S]*WIDGET_LIMIT: /);
    expect(() => loadConfig({ ...valid, WIDGET_LIMIT: '11', LOG_LEVEL: 'debug' }, [widgets])).toThrow(/WIDGET_LIMIT: too many to debug/);
    expect(loadConfig({ ...valid, WORKER_QUEUES: 'widgets' }, [widgets]).WORKER_QUEUES).toEqual(['widgets']);
    expect(loadConfig(valid, [widgets]).WORKER_QUEUES).toEqual(['outbox', 'platform', 'realtime', 'widgets']);
    expect(() => loadConfig({ ...valid, WORKER_QUEUES: 'widgets' })).toThrow(/WORKER_QUEUES: unknown queue "widgets"/);
    const twice = defineContext({ name: 'again', config: defineConfig('again', { WIDGET_LIMIT: z.string() }) });
    expect(() => loadConfig(valid, [widgets, twice])).toThrow(/WIDGET_LIMIT of again is already declared/);
  });

  it('keeps completed outbox events 30 days unless told, never fewer than 7', () => {
    expect(loadConfig(valid).OUTBOX_RETENTION_DAYS).toBe(30);
    expect(loadConfig({ ...valid, OUTBOX_RETENTION_DAYS: '90' }).OUTBOX_RETENTION_DAYS).toBe(90);
    expect(() => loadConfig({ ...valid, OUTBOX_RETENTION_DAYS: '3' })).toThrow(/OUTBOX_RETENTION_DAYS: /);
  });

  it('re-times or switches off registered schedules, and names unknown ones and bad timings', () => {
    expect(loadConfig(valid).SCHEDULE_OVERRIDES).toEqual({});
    const overrides = loadConfig({ ...valid, SCHEDULE_OVERRIDES: '{"platform.retention":{"pattern":"0 4 * * *"}}' }).SCHEDULE_OVERRIDES;
    expect(overrides).toEqual({ 'platform.retention': { pattern: '0 4 * * *', tz: 'UTC' } });
    expect(loadConfig({ ...valid, SCHEDULE_OVERRIDES: '{"platform.retention":"off"}' }).SCHEDULE_OVERRIDES).toEqual({ 'platform.retention': 'off' });
    expect(() => loadConfig({ ...valid, SCHEDULE_OVERRIDES: '{"reports.nightly":{"every":5000}}' })).toThrow(/SCHEDULE_OVERRIDES: unknown schedule "reports.nightly"; known: platform.retention/);
    expect(() => loadConfig({ ...valid, SCHEDULE_OVERRIDES: '{"platform.retention":{"every":5}}' })).toThrow(/SCHEDULE_OVERRIDES: platform.retention: every must be/);
    expect(() => loadConfig({ ...valid, SCHEDULE_OVERRIDES: '{"platform.retention":{"pattern":"nightly"}}' })).toThrow(/SCHEDULE_OVERRIDES: platform.retention: invalid cron pattern/);
    expect(() => loadConfig({ ...valid, SCHEDULE_OVERRIDES: '{"platform.retention":{"every":5000,"tz":"UTC"}}' })).toThrow(/SCHEDULE_OVERRIDES: /);
    expect(() => loadConfig({ ...valid, SCHEDULE_OVERRIDES: 'nightly' })).toThrow(/SCHEDULE_OVERRIDES: expected JSON/);
  });

  describe('QUEUE_PREFIX and REDIS_CLUSTER_NODES', () => {
    const problemsOf = (env: Record<string, string>) => {
      try {
        loadConfig({ ...valid, ...env });
        return [];
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        return error.problems;
      }
    };

    it('accepts plain prefixes and one well-formed hash tag anywhere in them', () => {
      for (const prefix of ['switchboard', 'sb_1-x', '{switchboard}', '{sb}-queues', 'sb-{eu}', 'a{b}c', `{${'x'.repeat(62)}}`]) {
        expect(loadConfig({ ...valid, QUEUE_PREFIX: prefix }).QUEUE_PREFIX).toBe(prefix);
      }
      expect(loadConfig(valid).QUEUE_PREFIX).toBe('switchboard');
    });

    it('refuses unbalanced, nested, repeated and empty tags, and other characters, saying why', () => {
      const cases: [string, RegExp][] = [
        ['{switchboard', /unbalanced braces/],
        ['switchboard}', /unbalanced braces/],
        ['}sb{', /unbalanced braces/],
        ['{{sb}}', /nested braces/],
        ['{a{b}c}', /nested braces/],
        ['{a}{b}', /one hash tag only/],
        ['{}', /empty hash tag/],
        ['sb-{}', /empty hash tag/],
        ['{s b}', /letters, digits, _ and - only/],
        ['sb:queues', /letters, digits, _ and - only/],
        ['sb*', /letters, digits, _ and - only/],
        ['x'.repeat(65), /must be 1 to 64 characters/],
      ];
      for (const [prefix, reason] of cases) {
        const problems = problemsOf({ QUEUE_PREFIX: prefix });
        expect({ prefix, problems }).toEqual({ prefix, problems: [expect.stringMatching(new RegExp(`^QUEUE_PREFIX: ${reason.source}`))] });
      }
    });

    it('parses cluster nodes, and asks a cluster for a hash-tagged prefix', () => {
      const config = loadConfig({ ...valid, REDIS_CLUSTER_NODES: ' redis-1:7000, 10.0.0.2:7001,[::1]:7002 ', QUEUE_PREFIX: '{sb}' });
      expect(config.REDIS_CLUSTER_NODES).toEqual([
        { host: 'redis-1', port: 7000 },
        { host: '10.0.0.2', port: 7001 },
        { host: '::1', port: 7002 },
      ]);
      expect(loadConfig(valid).REDIS_CLUSTER_NODES).toBeUndefined();
      expect(problemsOf({ REDIS_CLUSTER_NODES: 'redis-1:7000' })).toEqual([expect.stringMatching(/^QUEUE_PREFIX: on a Redis Cluster .* e\.g\. \{switchboard\}$/)]);
      for (const bad of ['redis-1', 'redis-1:0', 'redis-1:70000', 'redis-1:7000,', ',', 'http://redis-1:7000', 'redis 1:7000', ':7000']) {
        const problems = problemsOf({ REDIS_CLUSTER_NODES: bad, QUEUE_PREFIX: '{sb}' });
        expect({ bad, problems }).toEqual({ bad, problems: bad === 'redis-1:7000,' ? [] : [expect.stringMatching(/^REDIS_CLUSTER_NODES: /)] });
      }
    });
  });
});
