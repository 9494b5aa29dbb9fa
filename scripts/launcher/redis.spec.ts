import { jest } from '@jest/globals';
import { chooseRedisSource, RedisUnavailableError, redisServerArgs, type RedisProbe } from './redis';

function probe(answers: boolean, server: string | undefined) {
  return {
    ping: jest.fn<RedisProbe['ping']>().mockResolvedValue(answers),
    findServer: jest.fn<RedisProbe['findServer']>().mockReturnValue(server),
  };
}

describe('chooseRedisSource', () => {
  it('uses REDIS_URL without looking any further', async () => {
    const p = probe(true, '/usr/bin/redis-server');
    await expect(chooseRedisSource('redis://cache:6379/2', p)).resolves.toEqual({
      kind: 'configured',
      url: 'redis://cache:6379/2',
    });
    expect(p.ping).not.toHaveBeenCalled();
    expect(p.findServer).not.toHaveBeenCalled();
  });

  it('uses a Redis that already answers on the local port', async () => {
    const p = probe(true, '/usr/bin/redis-server');
    await expect(chooseRedisSource(undefined, p)).resolves.toEqual({ kind: 'local', url: 'redis://127.0.0.1:6379' });
    expect(p.ping).toHaveBeenCalledWith('redis://127.0.0.1:6379');
    expect(p.findServer).not.toHaveBeenCalled();
  });

  it('starts redis-server from PATH when nothing answers', async () => {
    await expect(chooseRedisSource(undefined, probe(false, '/usr/bin/redis-server'), 6390)).resolves.toEqual({
      kind: 'start-server',
      url: 'redis://127.0.0.1:6390',
      executable: '/usr/bin/redis-server',
      port: 6390,
    });
  });

  it('stops with every way out when there is no Redis at all', async () => {
    const attempt = chooseRedisSource(undefined, probe(false, undefined));
    await expect(attempt).rejects.toBeInstanceOf(RedisUnavailableError);
    const message = await attempt.catch((error: Error) => error.message);
    expect(message).toContain('apt-get install redis-server');
    expect(message).toContain('docker compose up -d redis');
    expect(message).toContain('REDIS_URL=');
  });
});

describe('redisServerArgs', () => {
  it('configures the server for BullMQ with data in the given dir', () => {
    const args = redisServerArgs(6390, '/data/redis');
    const value = (flag: string) => args[args.indexOf(flag) + 1];
    expect(value('--port')).toBe('6390');
    expect(value('--bind')).toBe('127.0.0.1');
    expect(value('--dir')).toBe('/data/redis');
    expect(value('--appendonly')).toBe('yes');
    expect(value('--maxmemory-policy')).toBe('noeviction');
    expect(value('--save')).toBe('');
  });
});
