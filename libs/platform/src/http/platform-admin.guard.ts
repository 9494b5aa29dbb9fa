import { createHash, timingSafeEqual } from 'node:crypto';
import { applyDecorators, HttpException, Inject, Injectable, SetMetadata, UseGuards, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { AUTHENTICATOR, type Authenticator } from '../auth/authenticator';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config.schema';
import { ProblemException } from './problem';
import type { SwitchboardRequest } from './request-context';

export const PLATFORM_ADMIN_ROUTE = 'switchboard:platform-admin';

const digest = (value: string) => createHash('sha256').update(value).digest();

const unauthorized = (detail: string, error?: 'invalid_token') =>
  new ProblemException({
    status: 401,
    type: 'unauthorized',
    title: 'Unauthorized',
    detail,
    headers: { 'WWW-Authenticate': `Bearer realm="switchboard-admin"${error ? `, error="${error}"` : ''}` },
  });

const forbidden = (detail: string) => new ProblemException({ status: 403, type: 'forbidden', title: 'Forbidden', detail });

/**
 * Platform operators authenticate with PLATFORM_ADMIN_KEY as a bearer token. A credential nobody
 * issued (a made-up `sb_admin_…`, an expired token) is a 401, like anywhere else; only a real
 * tenant credential, which authenticates but is not the operator's, is a 403.
 */
@Injectable()
export class PlatformAdminGuard implements CanActivate {
  private readonly expected: Buffer | null;
  private authenticator: Authenticator | null | undefined;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly moduleRef: ModuleRef,
  ) {
    this.expected = config.PLATFORM_ADMIN_KEY ? digest(config.PLATFORM_ADMIN_KEY) : null;
  }

  /** Synchronous for the admin key; only a refusal waits (to tell an unknown credential from a tenant's). */
  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const req = context.switchToHttp().getRequest<SwitchboardRequest>();
    const match = /^Bearer (\S+)$/i.exec(req.headers.authorization ?? '');
    if (!match) throw unauthorized('Send the platform admin key as "Authorization: Bearer <key>".');
    if (!this.expected) throw forbidden('The platform admin API is disabled: PLATFORM_ADMIN_KEY is not set.');
    // Comparing digests keeps the comparison constant-time whatever the key lengths.
    if (!timingSafeEqual(digest(match[1]), this.expected)) return this.refuse(match[1]);
    req.principal = { kind: 'platform-admin', id: 'platform-admin', tenantId: null };
    return true;
  }

  private async refuse(token: string): Promise<never> {
    const authenticator = this.resolveAuthenticator();
    if (token.length <= 4096 && authenticator) {
      try {
        await authenticator.authenticate(token);
      } catch (error) {
        // A tenant credential that is known but refused (a suspended tenant) is still not unknown.
        if (!(error instanceof HttpException) || error.getStatus() !== 403) throw unauthorized('This credential is not a valid platform admin key.', 'invalid_token');
      }
      throw forbidden('This is a tenant credential; the platform admin API needs the platform admin key.');
    }
    throw unauthorized('This credential is not a valid platform admin key.', 'invalid_token');
  }

  /** Provided by the context that implements the port (tenancy), when it is loaded. */
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
}

export function PlatformAdmin(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(PLATFORM_ADMIN_ROUTE, true),
    UseGuards(PlatformAdminGuard),
    ApiBearerAuth('platform-admin'),
    ApiUnauthorizedResponse({ description: 'Missing, unknown or invalid credential (problem+json)' }),
    ApiForbiddenResponse({ description: 'A tenant credential, not the platform admin key (problem+json)' }),
  );
}
