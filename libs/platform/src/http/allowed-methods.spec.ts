import express, { type Request } from 'express';
import { allowedMethods } from './allowed-methods';

describe('allowedMethods', () => {
  const app = express();
  const ok = (_req: unknown, res: { end(): void }) => res.end();
  app.get('/v1/tickets/:id', ok);
  app.patch('/v1/tickets/:id', ok);
  app.delete('/v1/tickets/:id', ok);
  app.post('/v1/tickets', ok);
  app.get('/v1/tickets', ok);
  app.all('/metrics', ok);
  app.use('/v1', express.Router().all('*path', ok));
  const on = (originalUrl: string) => allowedMethods({ app, originalUrl, url: originalUrl } as unknown as Request);

  it("lists the methods of every route on the path, HEAD with GET, in a stable order", () => {
    expect(on('/v1/tickets/6f1c1c36-55a4-4f43-9d7c-0d1a1e0b9a11')).toEqual(['GET', 'HEAD', 'PATCH', 'DELETE']);
    expect(on('/v1/tickets?limit=5')).toEqual(['GET', 'HEAD', 'POST']);
  });

  it('finds nothing for a path no route has, and ignores catch-alls and mounted routers', () => {
    expect(on('/v1/nothing-here')).toEqual([]);
    expect(on('/v1/tickets/1/messages')).toEqual([]);
    expect(on('/metrics')).toEqual([]);
  });
});
