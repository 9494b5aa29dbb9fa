import { createParamDecorator, type ExecutionContext } from '@nestjs/common';

/**
 * The one place the knowledge base reads the raw request: the client address and user agent
 * that stand in for an anonymous visitor. Both express and fastify requests expose `ip` and
 * `headers`, so this survives an adapter change.
 */
export interface VisitorInfo {
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
}

export const Visitor = createParamDecorator((_: unknown, context: ExecutionContext): VisitorInfo => {
  const req = context.switchToHttp().getRequest<{ id?: string | number; ip?: string; headers: Record<string, string | string[] | undefined> }>();
  const ua = req.headers['user-agent'];
  return { ip: req.ip ?? null, userAgent: typeof ua === 'string' ? ua.slice(0, 500) : null, requestId: req.id !== undefined ? String(req.id) : null };
});

/** Response headers and status through the one interface both adapters' replies share. */
export interface HeaderSink {
  setHeader(name: string, value: string): unknown;
  status(code: number): unknown;
}
