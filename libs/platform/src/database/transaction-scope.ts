import { AsyncLocalStorage } from 'node:async_hooks';
import http from 'node:http';
import https from 'node:https';
import { Redis } from 'ioredis';

/**
 * Marks the async path that runs inside an open database transaction. Network calls on that path
 * (Redis, HTTP) would hold the transaction — and on the embedded database, every session — for as
 * long as they take, so conventions rule 16 forbids them; `installIoGuard` makes tests fail on one.
 */
const scope = new AsyncLocalStorage<string>();

export function insideTransaction<T>(label: string, work: () => Promise<T>): Promise<T> {
  return scope.run(label, work);
}

/** The transaction open on this async path, if any (its label). */
export function openTransaction(): string | undefined {
  return scope.getStore();
}

export class IoInsideTransactionError extends Error {
  override readonly name = 'IoInsideTransactionError';
}

function refuse(what: string): void {
  const label = scope.getStore();
  if (label) throw new IoInsideTransactionError(`${what} while a database transaction is open (${label}); decide inside, commit, then call out (conventions, rule 16)`);
}

let installed = false;

/**
 * In tests (NODE_ENV=test), every Redis command and outgoing HTTP request checks that no database
 * transaction is open on its async path, and throws if one is. Not installed in production: it
 * costs a lookup per call and would turn a slow path into an error.
 */
export function installIoGuard(): void {
  if (installed) return;
  installed = true;
  const redis = Redis.prototype as unknown as { sendCommand(command: { name: string }, ...rest: unknown[]): unknown };
  const sendCommand = redis.sendCommand;
  redis.sendCommand = function guarded(this: unknown, command: { name: string }, ...rest: unknown[]) {
    refuse(`Redis ${command?.name?.toUpperCase?.() ?? 'command'}`);
    return sendCommand.call(this, command, ...rest);
  };
  const originalFetch = globalThis.fetch;
  globalThis.fetch = function guardedFetch(input, init) {
    refuse(`HTTP ${init?.method ?? 'GET'} ${typeof input === 'string' ? input : input instanceof URL ? input.href : input.url}`);
    return originalFetch(input, init);
  };
  // Default imports are the modules' own export objects, so this patches what every caller sees.
  for (const module of [http, https] as { request: typeof http.request }[]) {
    const original = module.request;
    module.request = function guardedRequest(...args: Parameters<typeof http.request>) {
      refuse('HTTP request');
      return original(...args);
    } as typeof http.request;
  }
}
