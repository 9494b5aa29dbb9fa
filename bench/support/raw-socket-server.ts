import { createServer } from 'node:http';
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import { Server } from 'socket.io';

/**
 * A bare Socket.IO server for the realtime benchmark's broadcast measurement: every client joins
 * room "r"; `GET /broadcast?count=n&bytes=b` emits n events of ~b bytes to the room. With
 * RAW_ADAPTER=redis it uses the same Redis adapter as the api, so a broadcast from one such
 * process reaches clients of another.
 */
const port = Number(process.env.RAW_PORT);
const http = createServer();
const io = new Server(http, { transports: ['websocket'] });
if (process.env.RAW_ADAPTER === 'redis') {
  const pub = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  io.adapter(createAdapter(pub, pub.duplicate(), { key: process.env.RAW_KEY ?? 'bench-raw' }));
}
io.on('connection', (socket) => void socket.join('r'));
http.on('request', (req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  if (url.pathname === '/health') return void res.end(String(io.of('/').sockets.size));
  if (url.pathname !== '/broadcast') return;
  if (!url.pathname.startsWith('/broadcast')) return;
  const count = Number(url.searchParams.get('count') ?? 1);
  const pad = 'x'.repeat(Number(url.searchParams.get('bytes') ?? 200));
  let i = 0;
  // In slices, so the event loop can write to sockets while the emitter runs.
  const slice = () => {
    for (let n = 0; n < 20 && i < count; n++, i++) io.to('r').emit('tick', { i, t: Date.now(), pad });
    if (i < count) setImmediate(slice);
    else res.end('ok');
  };
  slice();
});
http.listen(port, '127.0.0.1');
