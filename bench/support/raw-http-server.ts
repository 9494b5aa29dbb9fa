import { createServer } from 'node:http';

/**
 * The baseline: bare node:http answering the bench's routes with bodies like the api's, and no
 * pipeline at all. Started as a child process (PORT, HOST) so it gets an event loop of its own,
 * exactly like the api.
 */
const HEALTH_BODY = JSON.stringify({ status: 'ok' });
const PROBES_PREFIX = '/v1/admin/probes/';

const server = createServer((req, res) => {
  const path = (req.url ?? '/').split('?')[0];
  if (req.method === 'GET' && path === '/v1/health/live') {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(HEALTH_BODY) });
    res.end(HEALTH_BODY);
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
process.once('SIGTERM', () => server.close(() => process.exit(0)).closeAllConnections());
