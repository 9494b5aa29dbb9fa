import { io, type Socket } from 'socket.io-client';

/** A console connection with a log of every event it received, for assertions. */
export interface AgentClient {
  socket: Socket;
  received: { event: string; data: any }[];
  /** Resolves with the first event (already received or coming) that matches; rejects after timeoutMs. */
  next(event: string, match?: (data: any) => boolean, timeoutMs?: number): Promise<any>;
  /** Emits with an acknowledgement and resolves with it. */
  call(event: string, payload?: unknown, timeoutMs?: number): Promise<any>;
  close(): void;
}

export function connectAgent(
  url: string,
  token: string | undefined,
  options: { autoConnect?: boolean; reconnection?: boolean; namespace?: string; extraHeaders?: Record<string, string> } = {},
): AgentClient {
  const socket = io(`${url}${options.namespace ?? '/agents'}`, {
    auth: token === undefined ? {} : { token },
    transports: ['websocket'],
    ...(options.extraHeaders ? { extraHeaders: options.extraHeaders } : {}),
    reconnection: options.reconnection ?? false,
    autoConnect: options.autoConnect ?? true,
    forceNew: true,
  });
  const received: { event: string; data: any }[] = [];
  // Connection lifecycle, for the timeout message: a wait that times out after the server closed
  // the socket (or never connected it) says so, rather than only that the event did not come.
  const lifecycle: string[] = [];
  socket.on('connect', () => lifecycle.push('connect'));
  socket.on('disconnect', (reason: string) => lifecycle.push(`disconnect (${reason})`));
  socket.on('connect_error', (err: Error) => lifecycle.push(`connect_error (${err.message})`));
  const waiters = new Set<{ event: string; match: (d: any) => boolean; resolve: (d: any) => void }>();
  socket.onAny((event: string, data: unknown) => {
    received.push({ event, data });
    for (const w of [...waiters]) {
      if (w.event === event && w.match(data)) {
        waiters.delete(w);
        w.resolve(data);
      }
    }
  });
  return {
    socket,
    received,
    next(event, match = () => true, timeoutMs = 30_000) {
      const seen = received.find((r) => r.event === event && match(r.data));
      if (seen) return Promise.resolve(seen.data);
      return new Promise((resolve, reject) => {
        const waiter = { event, match, resolve: (d: any) => (clearTimeout(timer), resolve(d)) };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`No "${event}" matching within ${timeoutMs} ms; received: ${received.map((r) => r.event).join(', ')}; connection: ${lifecycle.join(', ') || 'no connect yet'}`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    call(event, payload, timeoutMs = 10_000) {
      return socket.timeout(timeoutMs).emitWithAck(event, payload);
    },
    close() {
      socket.disconnect();
    },
  };
}

/** Connects and waits for session.ready (resolves with it), or rejects with the connect error. */
export async function readyAgent(url: string, token: string, options?: Parameters<typeof connectAgent>[2]): Promise<AgentClient & { ready: any }> {
  const client = connectAgent(url, token, options);
  const ready = await Promise.race([
    client.next('session.ready'),
    new Promise((_, reject) => client.socket.once('connect_error', (err: Error & { data?: unknown }) => reject(new Error(`${err.message} ${JSON.stringify(err.data)}`)))),
  ]);
  return Object.assign(client, { ready });
}

/** The error a refused handshake produces: message plus problem data. */
export function connectError(url: string, token: string | undefined, options?: Parameters<typeof connectAgent>[2]): Promise<{ message: string; data: any }> {
  const client = connectAgent(url, token, options);
  return new Promise((resolve, reject) => {
    client.socket.once('connect', () => {
      client.close();
      reject(new Error('connected, expected a refusal'));
    });
    client.socket.once('connect_error', (err: Error & { data?: unknown }) => {
      client.close();
      resolve({ message: err.message, data: err.data });
    });
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
