/** socket.io-adapter's `MessageType.BROADCAST` and socket.io-parser's `PacketType.EVENT` (wire constants of Socket.IO 4). */
const BROADCAST = 3;
const EVENT = 2;

/** Where and what to SPUBLISH so that every api process's sharded adapter broadcasts `event` to its sockets in `rooms`. */
export interface ShardedBroadcast {
  channel: string;
  message: string;
}

/**
 * The worker's side of `createShardedAdapter` (@socket.io/redis-adapter), which
 * @socket.io/redis-emitter does not speak: one cluster-adapter BROADCAST message, JSON-encoded
 * (console payloads carry no binary), on the namespace's main channel. Every api process
 * subscribes to that channel, whichever rooms it holds; a sender id that is no process's own
 * makes each of them deliver it.
 */
export function shardedBroadcast(key: string, nsp: string, rooms: readonly string[], except: readonly string[], event: string, data: unknown): ShardedBroadcast {
  const message = {
    uid: 'emitter',
    nsp,
    type: BROADCAST,
    data: { packet: { type: EVENT, data: [event, data], nsp }, opts: { rooms: [...rooms], except: [...except], flags: {} } },
  };
  return { channel: `${key}#${nsp}#`, message: JSON.stringify(message) };
}
