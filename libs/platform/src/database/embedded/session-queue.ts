import type { PGlite } from '@electric-sql/pglite';

interface Item {
  handlerId: number;
  message: Uint8Array;
  /** Type of the item's last message: whether the backend may be idle after it. */
  last: number;
  onData: (data: Uint8Array) => void;
  resolve: (bytes: number) => void;
  reject: (error: unknown) => void;
}

const SYNC = 'S'.charCodeAt(0);
const QUERY = 'Q'.charCodeAt(0);
const TERMINATE = 'X'.charCodeAt(0);
/** Startup, SSL and cancel requests begin with a length, so their first byte is 0. */
const UNTYPED = 0;
/**
 * Parse, Bind, Describe, Execute and Close: a client waits for nothing they answer until it sends
 * Sync or Flush (the protocol lets a backend hold their answers until then).
 */
const DEFERRABLE = new Set(['P', 'B', 'D', 'E', 'C'].map((c) => c.charCodeAt(0)));

/**
 * Schedules frontend messages from many client connections onto PGlite's single backend session.
 *
 * pglite-socket 0.2.x schedules message by message and keeps a connection's affinity only inside
 * an SQL transaction. The extended query protocol (Parse, Bind, Execute, Sync) keeps state — the
 * unnamed prepared statement and portal — until ReadyForQuery, outside any transaction, so two
 * connections running parameterised queries at once interleave: one binds the other's statement
 * ("unnamed prepared statement does not exist", or silently the wrong rows). Upstream: pglite
 * issue #1046, pull request #977.
 *
 * Here a connection owns the session from its first message until the backend is idle again: a
 * Sync or simple Query has been answered and no transaction is open. A failure never wedges the
 * queue, and a connection that goes away releases the session (rolling back its transaction).
 *
 * A connection's Parse, Bind, Describe, Execute and Close are held until its Sync (or Flush) and
 * handed to the backend together with it: one call into PGlite per statement instead of five, each
 * of which costs a WASM round of its own (a parameterised statement took ~0.8 ms against ~0.25 ms
 * for a simple query). The backend processes the concatenated messages exactly as if they had
 * arrived one by one.
 *
 * A connection that goes idle inside its transaction for longer than the limit (a paused or hung
 * process: the apps never wait on the network inside a transaction, ADR 0018) has its transaction
 * rolled back and is closed at once, and so is every other connection of the same client that is
 * waiting in the queue: a stopped process usually has several, each of which would otherwise open
 * a transaction of its own when its turn came and hold the session for the whole limit again. A
 * client is named by the `application_name` of its startup message (the apps send one per
 * process); a connection without one is a client of its own.
 */
export class SessionQueue {
  private queue: Item[] = [];
  /** Server-side work (VACUUM, ANALYZE) waiting for a moment when no connection owns the session. */
  private maintenance: { run: () => Promise<unknown>; resolve: (value: unknown) => void; reject: (error: unknown) => void }[] = [];
  private processing = false;
  private owner: number | null = null;
  private readonly held = new Map<number, Uint8Array[]>();
  /** Connections whose transaction was rolled back for idling: everything they send next fails, so their socket closes. */
  private readonly terminated = new Set<number>();
  private idleTimer: NodeJS.Timeout | null = null;
  /** The client (application_name) each connection named at startup. */
  private readonly clients = new Map<number, string>();

  /**
   * `idleInTransactionTimeoutMs`: like PostgreSQL's idle_in_transaction_session_timeout (which
   * PGlite cannot run): a connection that holds the session inside a transaction and sends nothing
   * for that long — a paused or hung process — has its transaction rolled back and its connection
   * closed, so it cannot hold every other client. 0 disables it.
   */
  constructor(
    private readonly db: PGlite,
    private readonly idleInTransactionTimeoutMs = 0,
    /** Closes a connection the queue has terminated (its socket would otherwise stay open until it next sends). */
    private readonly close: (handlerId: number) => void = () => undefined,
  ) {}

  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    if (this.terminated.has(handlerId)) {
      return Promise.reject(new Error('terminating connection due to idle-in-transaction timeout'));
    }
    const last = message[0]!;
    if (last === UNTYPED) this.rememberClient(handlerId, message);
    if (DEFERRABLE.has(last)) {
      const held = this.held.get(handlerId);
      if (held) held.push(message);
      else this.held.set(handlerId, [message]);
      return Promise.resolve(0);
    }
    const held = this.held.get(handlerId);
    if (held) {
      this.held.delete(handlerId);
      message = Buffer.concat([...held, message]);
    }
    // Only a message the backend will run ends the owner's idle moment: a Parse held for its Sync does not.
    if (handlerId === this.owner) this.stopIdleTimer();
    return new Promise((resolve, reject) => {
      this.queue.push({ handlerId, message, last, onData, resolve, reject });
      void this.process();
    });
  }

  /**
   * Runs `work` on the session between two clients' units of work (never inside a transaction) and
   * before the next one starts: the clients waiting meanwhile queue up as they do behind each other.
   * One maintenance task runs per turn; a waiting client's unit goes before the next one.
   */
  runMaintenance<T>(work: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.maintenance.push({ run: work, resolve: resolve as (value: unknown) => void, reject });
      void this.process();
    });
  }

  getQueueLength(): number {
    return this.queue.length;
  }

  clearQueueForHandler(handlerId: number): void {
    this.held.delete(handlerId);
    this.terminated.delete(handlerId);
    this.clients.delete(handlerId);
    this.dropQueued(new Set([handlerId]), new Error('Handler disconnected'));
  }

  private dropQueued(handlers: Set<number>, error: Error): void {
    this.queue = this.queue.filter((item) => {
      if (!handlers.has(item.handlerId)) return true;
      item.reject(error);
      return false;
    });
  }

  /** Reads `application_name` from a StartupMessage (length, protocol 3.0, then name/value pairs). */
  private rememberClient(handlerId: number, message: Uint8Array): void {
    const bytes = Buffer.from(message.buffer, message.byteOffset, message.byteLength);
    if (bytes.length < 8 || bytes.readInt32BE(4) !== 196608) return;
    const fields = bytes.subarray(8).toString('utf8').split('\0');
    for (let i = 0; i + 1 < fields.length; i += 2) {
      if (fields[i] === 'application_name' && fields[i + 1]) this.clients.set(handlerId, fields[i + 1]!);
    }
  }

  async clearTransactionIfNeeded(handlerId: number): Promise<void> {
    if (this.owner !== handlerId) return;
    this.stopIdleTimer();
    if (this.db.isInTransaction()) await this.db.exec('ROLLBACK');
    this.owner = null;
    void this.process();
  }

  private stopIdleTimer(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }

  /** The owner just went idle inside its transaction: roll it back if it stays idle too long. */
  private startIdleTimer(owner: number): void {
    if (this.idleInTransactionTimeoutMs <= 0) return;
    this.stopIdleTimer();
    this.idleTimer = setTimeout(() => void this.terminateIdle(owner), this.idleInTransactionTimeoutMs);
    this.idleTimer.unref();
  }

  private async terminateIdle(owner: number): Promise<void> {
    this.idleTimer = null;
    if (this.owner !== owner || !this.db.isInTransaction()) return;
    // The owner's next message is being run after all: it was not idle.
    if (this.processing) return;
    // The owner and the rest of its client: nothing they queued runs, and they are closed.
    // (Its connections with nothing queued are left alone: they are not in a transaction.)
    const client = this.clients.get(owner);
    const victims = new Set([owner]);
    if (client !== undefined) {
      const waiting = new Set([...this.queue.map((item) => item.handlerId), ...this.held.keys()]);
      for (const handlerId of waiting) if (this.clients.get(handlerId) === client) victims.add(handlerId);
    }
    const error = new Error('terminating connection due to idle-in-transaction timeout');
    for (const handlerId of victims) {
      this.terminated.add(handlerId);
      this.held.delete(handlerId);
    }
    this.dropQueued(victims, error);
    // The owner keeps the session until its rollback is done, so nobody else's statement runs inside it.
    await this.db.exec('ROLLBACK');
    this.owner = null;
    for (const handlerId of victims) this.close(handlerId);
    void this.process();
  }

  private async process(): Promise<void> {
    if (this.processing) return;
    this.processing = true;
    let maintenanceTurn = true;
    try {
      for (;;) {
        if (this.owner === null && this.maintenance.length > 0 && (maintenanceTurn || this.queue.length === 0) && !this.db.isInTransaction()) {
          maintenanceTurn = false;
          const task = this.maintenance.shift()!;
          await task.run().then(task.resolve, task.reject);
          continue;
        }
        const index = this.owner === null ? 0 : this.queue.findIndex((item) => item.handlerId === this.owner);
        if (index === -1 || this.queue.length === 0) return; // the owner has more to send: wait for it
        const [item] = this.queue.splice(index, 1);
        this.owner = item.handlerId;
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(item.message, {
              onRawData: (data: Uint8Array) => {
                bytes += data.length;
                item.onData(data);
              },
            }),
          );
        } catch (error) {
          item.reject(error);
          if (!this.db.isInTransaction()) this.owner = null;
          continue;
        }
        const type = item.last;
        if ((type === SYNC || type === QUERY || type === TERMINATE || type === UNTYPED) && !this.db.isInTransaction()) {
          this.owner = null;
          maintenanceTurn = true;
        }
        else if (this.db.isInTransaction() && !this.queue.some((next) => next.handlerId === item.handlerId)) this.startIdleTimer(item.handlerId);
        item.resolve(bytes);
      }
    } finally {
      this.processing = false;
    }
  }
}
