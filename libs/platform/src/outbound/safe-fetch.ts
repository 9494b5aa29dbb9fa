import { promises as dns } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { checkAddress, hostNameProblem } from './address-policy';

/** Resolves a host name to every address it has; tests inject one that maps names anywhere. */
export type OutboundResolver = (hostname: string) => Promise<Array<{ address: string; family: number }>>;

export interface SafeFetchOptions {
  /** Let private, loopback and link-local addresses through (self-hosted servers). */
  allowPrivate?: boolean;
  /** Until the TCP (and TLS) connection is up. Default 10 s. */
  connectTimeoutMs?: number;
  /** The whole exchange, resolution to the last byte of the body. Default 5 min (streams). */
  timeoutMs?: number;
  /** Response body limit; a larger body fails the read. Default 20 MiB. */
  maxResponseBytes?: number;
  /** Name resolution; default `dns.lookup` with every address. */
  resolve?: OutboundResolver;
}

/** The destination is not one the policy lets the server call. Not worth retrying. */
export class OutboundRefusedError extends Error {
  override readonly name = 'OutboundRefusedError';
  readonly code = 'OUTBOUND_REFUSED';
}

export class OutboundTimeoutError extends Error {
  override readonly name = 'OutboundTimeoutError';
  readonly code = 'OUTBOUND_TIMEOUT';
}

export class OutboundResponseTooLargeError extends Error {
  override readonly name = 'OutboundResponseTooLargeError';
  readonly code = 'OUTBOUND_RESPONSE_TOO_LARGE';
}

const defaultResolve: OutboundResolver = (hostname) => dns.lookup(hostname, { all: true, verbatim: true });

// Statuses whose response cannot carry a body (the Response constructor refuses one).
const NULL_BODY = new Set([101, 204, 205, 304]);

/**
 * A `fetch` for calls whose destination comes from tenant or operator input. The host is
 * resolved once, every address checked against the address policy, and the socket connects to
 * the checked address (a pinned `lookup`), so a second resolution cannot swap in another one.
 * Redirects are never followed: a 3xx comes back as it is, and the SDKs treat it as an error,
 * so a public host cannot bounce the request to an internal one. Bodies are read into memory
 * before sending (API payloads), responses stream back with a size cap.
 */
export function createSafeFetch(options: SafeFetchOptions = {}): typeof fetch {
  const connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
  const timeoutMs = options.timeoutMs ?? 300_000;
  const maxBytes = options.maxResponseBytes ?? 20 * 1024 * 1024;
  const resolve = options.resolve ?? defaultResolve;
  // Idle sockets are unref'd by the agent, so a pool never keeps a process alive.
  const agents = { 'http:': new http.Agent({ keepAlive: true }), 'https:': new https.Agent({ keepAlive: true }) };

  async function pinnedAddress(url: URL): Promise<{ address: string; family: number }> {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new OutboundRefusedError(`${url.protocol} URLs are not allowed; use http or https`);
    const hostProblem = hostNameProblem(url.hostname);
    if (hostProblem) throw new OutboundRefusedError(`host "${url.hostname}" ${hostProblem}`);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const candidates = isIP(host) ? [{ address: host, family: isIP(host) }] : await resolve(host);
    if (candidates.length === 0) throw new OutboundRefusedError(`host "${host}" has no address`);
    for (const candidate of candidates) {
      const verdict = checkAddress(candidate.address, { allowPrivate: options.allowPrivate });
      if (!verdict.allowed) {
        const via = candidate.address === host ? '' : ` (resolves to ${candidate.address})`;
        throw new OutboundRefusedError(`host "${host}"${via} is a ${verdict.reason} address, which outbound requests may not reach`);
      }
    }
    return candidates[0]!;
  }

  return async function safeFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
    const request = new Request(input, init);
    const signal = request.signal;
    if (signal.aborted) throw abortError(signal);
    const url = new URL(request.url);
    const body = request.body ? Buffer.from(await request.arrayBuffer()) : null;
    const target = await withTimeout(pinnedAddress(url), timeoutMs, url, signal);

    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => {
      // Node sets Host from the URL; the response is read raw, so ask for no compression.
      if (name !== 'host' && name !== 'accept-encoding' && name !== 'connection' && name !== 'content-length') headers[name] = value;
    });
    if (body) headers['content-length'] = String(body.length);

    // The pinned lookup answers with the checked address whatever name the socket asks for.
    const lookup: LookupFunction = (_hostname, lookupOptions, callback) => {
      if ((lookupOptions as { all?: boolean }).all) (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [target]);
      else callback(null, target.address, target.family);
    };

    return new Promise<Response>((resolvePromise, reject) => {
      let settled = false;
      let fail: (error: Error) => void = (error) => {
        if (settled) return;
        settled = true;
        cleanup();
        outgoing.destroy();
        reject(error);
      };
      const onAbort = () => fail(abortError(signal));
      const total = setTimeout(() => fail(new OutboundTimeoutError(`request to ${url.host} timed out after ${timeoutMs} ms`)), timeoutMs);
      const cleanup = () => {
        clearTimeout(total);
        signal.removeEventListener('abort', onAbort);
      };
      signal.addEventListener('abort', onAbort, { once: true });

      const module = url.protocol === 'https:' ? https : http;
      const outgoing = module.request({
        protocol: url.protocol,
        hostname: url.hostname.replace(/^\[|\]$/g, ''),
        port: url.port || undefined,
        path: `${url.pathname}${url.search}`,
        method: request.method,
        headers,
        lookup,
        agent: agents[url.protocol as 'http:' | 'https:'],
      });
      outgoing.on('error', (error) => fail(error));
      outgoing.on('socket', (socket) => {
        if (!socket.connecting) return;
        const connectTimer = setTimeout(() => fail(new OutboundTimeoutError(`connecting to ${url.host} timed out after ${connectTimeoutMs} ms`)), connectTimeoutMs);
        socket.once(url.protocol === 'https:' ? 'secureConnect' : 'connect', () => clearTimeout(connectTimer));
        socket.once('close', () => clearTimeout(connectTimer));
      });
      outgoing.on('response', (incoming) => {
        const status = incoming.statusCode ?? 0;
        if (status < 200 || status > 599) return fail(new Error(`${url.host} answered with status ${status}`));
        const declared = Number(incoming.headers['content-length']);
        if (Number.isFinite(declared) && declared > maxBytes) return fail(new OutboundResponseTooLargeError(`response from ${url.host} declares ${declared} bytes, over the ${maxBytes}-byte limit`));
        const responseHeaders = new Headers();
        for (let i = 0; i + 1 < incoming.rawHeaders.length; i += 2) {
          try {
            responseHeaders.append(incoming.rawHeaders[i]!, incoming.rawHeaders[i + 1]!);
          } catch {
            // A header value fetch would reject is dropped rather than failing the whole answer.
          }
        }
        if (NULL_BODY.has(status) || request.method === 'HEAD') {
          incoming.resume();
          settled = true;
          cleanup();
          return resolvePromise(withUrl(new Response(null, { status, statusText: incoming.statusMessage, headers: responseHeaders }), url));
        }
        let received = 0;
        let closed = false;
        const stream = new ReadableStream<Uint8Array>({
          start(controller) {
            // From here on a failure errors the body the caller is reading.
            fail = (error) => {
              if (closed) return;
              closed = true;
              cleanup();
              incoming.destroy();
              controller.error(error);
            };
            incoming.on('data', (chunk: Buffer) => {
              if (closed) return;
              received += chunk.length;
              if (received > maxBytes) return fail(new OutboundResponseTooLargeError(`response from ${url.host} exceeded the ${maxBytes}-byte limit`));
              controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length));
              if ((controller.desiredSize ?? 1) <= 0) incoming.pause();
            });
            incoming.on('end', () => {
              if (closed) return;
              closed = true;
              cleanup();
              controller.close();
            });
            incoming.on('error', (error) => fail(error));
            incoming.on('aborted', () => fail(new Error(`${url.host} closed the connection mid-response`)));
          },
          pull() {
            incoming.resume();
          },
          cancel() {
            closed = true;
            cleanup();
            incoming.destroy();
          },
        });
        settled = true;
        resolvePromise(withUrl(new Response(stream, { status, statusText: incoming.statusMessage, headers: responseHeaders }), url));
      });
      outgoing.end(body ?? undefined);
    });
  } as typeof fetch;
}

/** Sets `url` as fetch would; the cast bridges lib.dom's and undici's identical Response types. */
function withUrl(response: object, url: URL): Response {
  Object.defineProperty(response, 'url', { value: url.href });
  return response as Response;
}

function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error && reason.name === 'AbortError' ? reason : new DOMException('This operation was aborted', 'AbortError');
}

async function withTimeout<T>(work: Promise<T>, ms: number, url: URL, signal: AbortSignal): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new OutboundTimeoutError(`resolving ${url.hostname} timed out after ${ms} ms`)), ms);
        onAbort = () => reject(abortError(signal));
        signal.addEventListener('abort', onAbort, { once: true });
      }),
    ]);
  } finally {
    clearTimeout(timer);
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
}
