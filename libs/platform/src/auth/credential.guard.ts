import { Injectable, Optional, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { ModuleRef, Reflector } from '@nestjs/core';
import { EarlyRateLimit } from '../http/early-rate-limit';
import { ProblemException } from '../http/problem';
import type { SwitchboardRequest } from '../http/request-context';
import { PLATFORM_ADMIN_ROUTE } from '../http/platform-admin.guard';
import { PUBLIC_ROUTE, REQUIRED_PERMISSION } from './auth.decorators';
import { AUTHENTICATOR, type Authenticator } from './authenticator';

export const unauthorized = (detail: string) =>
  new ProblemException({
    status: 401,
    type: 'unauthorized',
    title: 'Unauthorized',
    detail,
    headers: { 'WWW-Authenticate': 'Bearer realm="switchboard"' },
  });

/**
 * Every route needs a tenant credential unless it says otherwise (@Public, platform-admin
 * routes): deny by default, so a new controller cannot be exposed by forgetting a decorator.
 */
@Injectable()
export class CredentialGuard implements CanActivate {
  private authenticator: Authenticator | null | undefined;

  constructor(
    private readonly reflector: Reflector,
    private readonly moduleRef: ModuleRef,
    @Optional() private readonly earlyRateLimit?: EarlyRateLimit,
  ) {}

  /** Provided by whichever context implements the port (tenancy), found across modules. */
  private resolveAuthenticator(): Authenticator | null {
    if (this.authenticator === undefined) {
      try {
        this.authenticator = this.moduleRef.get<Authenticator>(AUTHENTICATOR, { strict: false });
      } catch {
        this.authenticator = null;
      }
    }
    return this.authenticator;
  }

  /** Synchronous on public and platform-admin routes, so Nest need not await it there. */
  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    if (this.reflector.getAllAndOverride<boolean>(PLATFORM_ADMIN_ROUTE, targets)) return true;
    return this.authenticate(context, targets);
  }

  private async authenticate(context: ExecutionContext, targets: Parameters<Reflector['getAllAndOverride']>[1]): Promise<boolean> {
    const req = context.switchToHttp().getRequest<SwitchboardRequest>();
    const match = /^Bearer (\S{1,4096})$/i.exec(req.headers.authorization ?? '');
    if (!match) throw unauthorized('Send a credential as "Authorization: Bearer <access token or API key>".');
    const authenticator = this.resolveAuthenticator();
    if (!authenticator) throw unauthorized('This server has no tenant authentication configured.');
    const principal = await authenticator.authenticate(match[1]);
    req.principal = principal;
    // Verified: from now on this credential's tenant can be charged before anything reads the request.
    this.earlyRateLimit?.verified(req, match[1], principal);
    const required = this.reflector.getAllAndOverride<string | string[] | null | undefined>(REQUIRED_PERMISSION, targets);
    const permission = (typeof required === 'string' ? [required] : (required ?? [])).find((p) => !principal.permissions?.includes(p));
    if (permission) {
      throw new ProblemException({
        status: 403,
        type: 'forbidden',
        title: 'Forbidden',
        detail: `This credential lacks the "${permission}" permission.`,
        extensions: { requiredPermission: permission },
      });
    }
    return true;
  }
}
