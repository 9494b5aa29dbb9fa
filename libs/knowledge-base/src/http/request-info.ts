import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { AnswerResult } from '../commands/answer-question/answer-question.command';
import type { AnswerResponse } from './answer.dto';

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

/** The permissions of the request's credential (a role's, or an API key's scopes). */
export const CredentialPermissions = createParamDecorator((_: unknown, context: ExecutionContext): readonly string[] => {
  const req = context.switchToHttp().getRequest<{ principal?: { permissions?: readonly string[] } }>();
  return req.principal?.permissions ?? [];
});

/** Aborts when the client goes away before the answer is sent (the model call is cancelled and metered as aborted). */
export function abortOnClose(res: unknown): AbortController {
  const raw = ((res as { raw?: unknown }).raw ?? res) as { on(event: 'close', listener: () => void): unknown; writableFinished?: boolean };
  const controller = new AbortController();
  raw.on('close', () => {
    if (!raw.writableFinished) controller.abort();
  });
  return controller;
}

/** The answer's response body; the budget warning goes in a header for agents only (visitors are not told about budgets). */
export function answerResponse(result: AnswerResult, res: HeaderSink | null): AnswerResponse {
  if (res && result.budgetWarning) res.setHeader('AI-Budget-Warning', result.budgetWarning);
  const { budgetWarning: _warning, ...body } = result;
  return body;
}
