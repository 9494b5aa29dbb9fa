import { createServer } from 'node:http';
import { createTicketsReader } from './tickets-read';

/**
 * The baseline: bare node:http answering the bench's routes with bodies like the api's, and no
 * pipeline at all. Started as a child process (PORT, HOST) so it gets an event loop of its own,
 * exactly like the api. With DATABASE_URL and JWT_KEY it also serves `GET /v1/tickets?limit=N`
 * through the same tenant-scoped read as the bare Nest baseline (`tickets-read.ts`).
 */
const HEALTH_BODY = JSON.stringify({ status: 'ok' });
const PROBES_PREFIX = '/v1/admin/probes/';
const tickets =
  process.env.DATABASE_URL && process.env.JWT_KEY
    ? createTicketsReader({ databaseUrl: process.env.DATABASE_URL, jwtKey: process.env.JWT_KEY, poolSize: Number(process.env.POOL_SIZE ?? 10) })
    : null;

const server = createServer((req, res) => {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  if (req.method === 'GET' && path === '/v1/health/live') {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(HEALTH_BODY) });
    res.end(HEALTH_BODY);
    return;
  }
  if (tickets && req.method === 'GET' && path === '/v1/tickets') {
    const limit = Number(new URLSearchParams(q === -1 ? '' : url.slice(q + 1)).get('limit') ?? 25);
    void tickets.read(req.headers.authorization, limit).then(({ status, body: page }) => {
      const body = JSON.stringify(page);
      res.writeHead(status, { 'content-type': status === 200 ? 'application/json; charset=utf-8' : 'application/problem+json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
    return;
  }
  const status = req.method === 'GET' && path.startsWith(PROBES_PREFIX) ? 400 : 404;
  const body = JSON.stringify({
    type: `https://switchboard.dev/problems/${status === 400 ? 'bad-request' : 'not-found'}`,
    title: status === 400 ? 'Bad Request' : 'Not Found',
    status,
    detail: status === 400 ? 'Validation failed (uuid is expected)' : `No route matches ${req.method} ${path}.`,
    instance: path,
  });
  res.writeHead(status, { 'content-type': 'application/problem+json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});

server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1');
process.once('SIGTERM', () => {
  server.close(() => void (tickets?.close() ?? Promise.resolve()).finally(() => process.exit(0)));
  server.closeAllConnections();
});
