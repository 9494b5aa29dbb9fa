import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { CommandContext } from '../database/command-context';
import { ProblemException } from './problem';
import type { ActorType, SwitchboardRequest } from './request-context';

const ACTOR_TYPES: Record<string, ActorType> = { user: 'user', 'api-key': 'api_key', 'platform-admin': 'platform_admin' };

/** The command context of an authenticated request: tenant from the credential, never the body. */
export function commandContextOf(req: SwitchboardRequest): CommandContext {
  const principal = req.principal;
  if (!principal?.tenantId) {
    throw new ProblemException({ status: 401, type: 'unauthorized', title: 'Unauthorized', detail: 'A tenant credential is required.' });
  }
  const userAgent = req.headers['user-agent'];
  return {
    tenantId: principal.tenantId,
    actorId: principal.id,
    actorType: ACTOR_TYPES[principal.kind],
    impersonatorId: principal.impersonatorId ?? null,
    correlationId: req.id !== undefined ? String(req.id) : null,
    ip: req.ip ?? null,
    userAgent: typeof userAgent === 'string' ? userAgent.slice(0, 500) : null,
  };
}

/** Who a platform operator's request is, for commands that take no tenant (creating one) or name it themselves. */
export function operatorActorOf(req: SwitchboardRequest): Omit<CommandContext, 'tenantId'> {
  const userAgent = req.headers['user-agent'];
  return {
    actorId: 'platform-admin',
    actorType: 'platform_admin',
    correlationId: req.id !== undefined ? String(req.id) : null,
    ip: req.ip ?? null,
    userAgent: typeof userAgent === 'string' ? userAgent.slice(0, 500) : null,
  };
}

/** The command context of a platform operator's request acting on one tenant (audited as `platform_admin`). */
export function operatorContextOf(req: SwitchboardRequest, tenantId: string): CommandContext {
  return { tenantId, ...operatorActorOf(req) };
}

/** `@Ctx() ctx: CommandContext` in a controller method. */
export const Ctx = createParamDecorator((_: unknown, context: ExecutionContext) =>
  commandContextOf(context.switchToHttp().getRequest<SwitchboardRequest>()),
);
