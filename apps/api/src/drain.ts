import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Shutdown without resetting anyone (ADR 0018). Once `begin` is called every answer — those in
 * progress and those still to come — closes its connection, and the listener stays open for the
 * drain period so connections already on their way (in the accept queue, bytes still arriving)
 * are served rather than reset. `close` then stops listening and resolves when every connection
 * is gone. Node's own close() would also close every connection without a request in progress,
 * including one whose next request is still arriving, so that is replaced: connections used while
 * draining close after their answer, and only those unused all along are ended.
 */
export function trackConnectionsForDrain(server: Server): { begin(): void; close(drainMs: number): Promise<void> } {
  const connections = new Map<Socket, { active: Set<ServerResponse>; usedWhileDraining: boolean }>();
  let draining = false;
  server.on('connection', (socket: Socket) => {
    connections.set(socket, { active: new Set(), usedWhileDraining: false });
    socket.once('close', () => connections.delete(socket));
  });
  server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
    const state = connections.get(req.socket);
    if (state) {
      state.active.add(res);
      res.once('close', () => state.active.delete(res));
      if (draining) state.usedWhileDraining = true;
    }
    if (draining) res.setHeader('Connection', 'close');
  });
  return {
    begin() {
      draining = true;
      for (const state of connections.values()) for (const res of state.active) if (!res.headersSent) res.setHeader('Connection', 'close');
    },
    async close(drainMs: number) {
      await sleep(drainMs);
      server.closeIdleConnections = () => undefined;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const [socket, state] of connections) if (state.active.size === 0 && !state.usedWhileDraining) socket.end();
      await closed;
    },
  };
}
