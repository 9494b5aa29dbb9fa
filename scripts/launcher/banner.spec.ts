import { renderBanner, type BannerInfo } from './banner';
import { redactUrl } from './redact';

const info: BannerInfo = {
  apiPort: 3000,
  workerPort: 3001,
  database: { kind: 'embedded', url: 'postgres://postgres:postgres@127.0.0.1:54329/postgres', dataDir: '/repo/.data/pg' },
  redis: { url: 'redis://127.0.0.1:6379', origin: 'local' },
  adminKey: 'sb_admin_abc',
  seedLines: ['Tenant: Acme', 'Login: owner@acme.test / demo-password'],
  seedLinesFromEarlierStart: false,
  startupMs: 8_234,
};

describe('redactUrl', () => {
  it('hides passwords and nothing else', () => {
    expect(redactUrl('postgres://app:s3cret@db:5432/sb')).toBe('postgres://app:***@db:5432/sb');
    expect(redactUrl('redis://:s3cret@cache:6379/1')).toBe('redis://:***@cache:6379/1');
    expect(redactUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
  });

  it('hides a value that is not a URL entirely', () => {
    expect(redactUrl('not a url s3cret')).toBe('<unparseable URL>');
  });
});

describe('renderBanner', () => {
  const text = renderBanner(info);

  it('lists where everything is', () => {
    expect(text).toContain('http://localhost:3000/v1');
    expect(text).toContain('http://localhost:3000/docs');
    expect(text).toContain('http://localhost:3000/console');
    expect(text).toContain('http://localhost:3000/metrics');
    expect(text).toContain('http://localhost:3001/health');
    expect(text).toContain('embedded PostgreSQL at postgres://postgres:***@127.0.0.1:54329/postgres');
    expect(text).toContain('data in /repo/.data/pg');
    expect(text).toContain('redis://127.0.0.1:6379 (already running on this machine)');
    expect(text).toContain('sb_admin_abc');
    expect(text).toContain('Login: owner@acme.test / demo-password');
    expect(text).toContain('started in 8.2 s');
  });

  it('never shows a database password', () => {
    const external = renderBanner({ ...info, database: { kind: 'external', url: 'postgres://app:s3cret@db/sb' } });
    expect(external).toContain('external PostgreSQL at postgres://app:***@db/sb');
    expect(external).not.toContain('s3cret');
    expect(text).not.toContain(':postgres@');
  });

  it('leaves out what it does not have', () => {
    const bare = renderBanner({ ...info, adminKey: undefined, seedLines: [] });
    expect(bare).not.toContain('Admin key');
    expect(bare).not.toContain('Demo data');
  });

  it('says when the demo credentials come from an earlier start', () => {
    expect(renderBanner({ ...info, seedLinesFromEarlierStart: true })).toContain('seeded on an earlier start');
  });
});
