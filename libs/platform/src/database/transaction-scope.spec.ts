import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { insideTransaction, installIoGuard, IoInsideTransactionError, openTransaction } from './transaction-scope';

describe('the I/O guard (no network call while a transaction is open)', () => {
  installIoGuard();

  it('refuses Redis commands and HTTP requests inside a transaction, and allows them outside', async () => {
    const redis = new Redis('redis://127.0.0.1:6379', { lazyConnect: true, maxRetriesPerRequest: 0 });
    const server = createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    try {
      await expect(insideTransaction('tenant transaction', async () => redis.get('x'))).rejects.toThrow(IoInsideTransactionError);
      await expect(insideTransaction('tenant transaction', async () => fetch(url))).rejects.toThrow(/HTTP GET .* while a database transaction is open \(tenant transaction\)/);
      expect(await (await fetch(url)).text()).toBe('ok');
      expect(await redis.ping()).toBe('PONG');
    } finally {
      redis.disconnect();
      server.close();
    }
  });

  it('ends with the transaction: the caller continues outside it', async () => {
    await insideTransaction('system transaction', async () => expect(openTransaction()).toBe('system transaction'));
    expect(openTransaction()).toBeUndefined();
  });
});
