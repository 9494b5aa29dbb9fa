import { ProblemException, commandContextOf, type CommandContext, type SwitchboardRequest } from '@switchboard/platform';

/** The routes about one's own sign-in (sessions, factors, password) are for users, never API keys. */
export function userOf(req: SwitchboardRequest): { context: CommandContext; sessionId: string | null } {
  const context = commandContextOf(req);
  if (req.principal?.kind !== 'user') {
    throw new ProblemException({ status: 403, type: 'user-credential-required', title: 'Forbidden', detail: 'This route is about a user’s own sign-in; call it with a user’s access token, not an API key.' });
  }
  return { context, sessionId: req.principal.sessionId ?? null };
}

export function clientOf(req: SwitchboardRequest): { ip: string | null; userAgent: string | null; requestId: string | null } {
  const ua = req.headers['user-agent'];
  return { ip: req.ip ?? null, userAgent: typeof ua === 'string' ? ua.slice(0, 500) : null, requestId: req.id !== undefined ? String(req.id) : null };
}
