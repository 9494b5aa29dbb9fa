import { ConfigError, loadConfig } from '@switchboard/platform';
import { tenancyContext } from './tenancy.context';

const valid = { DATABASE_URL: 'postgres://u:p@localhost:5432/db', REDIS_URL: 'redis://127.0.0.1:6379' };
const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadConfig({ ...valid, ...env }, [tenancyContext]);
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.problems;
  }
};

describe("tenancy's configuration slice", () => {
  it('applies the documented defaults', () => {
    const config = loadConfig(valid, [tenancyContext]);
    expect(config).toMatchObject({ AUTH_ACCESS_TOKEN_TTL_SECONDS: 900, AUTH_REFRESH_TOKEN_TTL_DAYS: 30, AUTH_ACCESS_CACHE_TTL_MS: 60_000 });
    expect(config).not.toHaveProperty('AUTH_JWT_SECRET');
  });

  it('parses the values it is given', () => {
    const config = loadConfig({ ...valid, AUTH_JWT_SECRET: 's'.repeat(32), AUTH_ACCESS_TOKEN_TTL_SECONDS: '60', AUTH_REFRESH_TOKEN_TTL_DAYS: '365', AUTH_ACCESS_CACHE_TTL_MS: '0' }, [tenancyContext]);
    expect(config).toMatchObject({ AUTH_JWT_SECRET: 's'.repeat(32), AUTH_ACCESS_TOKEN_TTL_SECONDS: 60, AUTH_REFRESH_TOKEN_TTL_DAYS: 365, AUTH_ACCESS_CACHE_TTL_MS: 0 });
  });

  it('names each bad variable, together with the platform’s', () => {
    const problems = problemsOf({
      AUTH_JWT_SECRET: 'too short',
      AUTH_ACCESS_TOKEN_TTL_SECONDS: '59',
      AUTH_REFRESH_TOKEN_TTL_DAYS: '0',
      AUTH_ACCESS_CACHE_TTL_MS: 'soon',
      PORT: 'eighty',
    });
    expect(problems).toContain('AUTH_JWT_SECRET: must be at least 32 characters');
    for (const name of ['AUTH_ACCESS_TOKEN_TTL_SECONDS', 'AUTH_REFRESH_TOKEN_TTL_DAYS', 'AUTH_ACCESS_CACHE_TTL_MS', 'PORT']) {
      expect(problems.some((p) => p.startsWith(`${name}: `))).toBe(true);
    }
    expect(problemsOf({ AUTH_ACCESS_TOKEN_TTL_SECONDS: String(24 * 3600 + 1) })).toEqual([expect.stringMatching(/^AUTH_ACCESS_TOKEN_TTL_SECONDS: /)]);
    expect(problemsOf({ AUTH_ACCESS_CACHE_TTL_MS: '3600001' })).toEqual([expect.stringMatching(/^AUTH_ACCESS_CACHE_TTL_MS: /)]);
  });

  it('belongs to tenancy: the platform alone neither declares nor checks these variables', () => {
    expect(loadConfig({ ...valid, AUTH_ACCESS_TOKEN_TTL_SECONDS: 'x' })).not.toHaveProperty('AUTH_ACCESS_TOKEN_TTL_SECONDS');
  });
});
