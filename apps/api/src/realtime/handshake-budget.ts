import type { IncomingMessage } from 'node:http';
import type { RedisClient } from '@switchboard/platform';
import proxyaddr from 'proxy-addr';

const WINDOW_MS = 60_000;

export interface HandshakeVerdict {
  allowed: boolean;
  /** Seconds until the window that refused this handshake ends. */
  retryAfterS: number;
}

/**
 * Socket handshakes per client IP and minute, counted in Redis so every api process shares the
 * budget: each handshake costs a credential check, so a client opening connections as fast as it
 * can is refused before that check. The client IP is read as REST reads it (TRUST_PROXY decides
 * whose X-Forwarded-For is believed). Redis unreachable: handshakes are let through (readiness
 * reports it; refusing every console would make an outage worse), as the REST limits do.
 */
export class HandshakeBudget {
  private readonly trust: (addr: string, i: number) => boolean;

  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly perMinute: number,
    trustProxy: string | boolean,
  ) {
    this.trust = typeof trustProxy === 'boolean' ? () => trustProxy : proxyaddr.compile(trustProxy.split(',').map((s) => s.trim()).filter(Boolean));
  }

  clientIp(req: IncomingMessage): string {
    return proxyaddr(req, this.trust);
  }

  async take(ip: string): Promise<HandshakeVerdict> {
    const now = Date.now();
    const window = Math.floor(now / WINDOW_MS);
    const retryAfterS = Math.max(1, Math.ceil(((window + 1) * WINDOW_MS - now) / 1000));
    const key = `${this.prefix}:${ip}:${window}`;
    try {
      const [[, count]] = (await this.redis.multi().incr(key).pexpire(key, WINDOW_MS * 2).exec()) as [[Error | null, number], unknown];
      return { allowed: count <= this.perMinute, retryAfterS };
    } catch {
      return { allowed: true, retryAfterS };
    }
  }
}
