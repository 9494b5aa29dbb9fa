import { createHash, timingSafeEqual } from 'node:crypto';
import { applyDecorators, Inject, Injectable, SetMetadata, UseGuards, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config.schema';
import { ProblemException } from './problem';
import type { SwitchboardRequest } from './request-context';

export const PLATFORM_ADMIN_ROUTE = 'switchboard:platform-admin';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Platform operators authenticate with PLATFORM_ADMIN_KEY as a bearer token. */
@Injectable()
export class PlatformAdminGuard implements CanActivate {
  private readonly expected: Buffer | null;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.expected = config.PLATFORM_ADMIN_KEY ? digest(config.PLATFORM_ADMIN_KEY) : null;
  }

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<SwitchboardRequest>();
    const match = /^Bearer (\S+)$/i.exec(req.headers.authorization ?? '');
    if (!match) {
      throw new ProblemException({
        status: 401,
        type: 'unauthorized',
        title: 'Unauthorized',
        detail: 'Send the platform admin key as "Authorization: Bearer <key>".',
        headers: { 'WWW-Authenticate': 'Bearer realm="switchboard-admin"' },
      });
    }
    // Comparing digests keeps the comparison constant-time whatever the key lengths.
    if (!this.expected || !timingSafeEqual(digest(match[1]), this.expected)) {
      throw new ProblemException({
        status: 403,
        type: 'forbidden',
        title: 'Forbidden',
        detail: this.expected ? 'This credential is not a platform admin key.' : 'The platform admin API is disabled: PLATFORM_ADMIN_KEY is not set.',
      });
    }
    req.principal = { kind: 'platform-admin', id: 'platform-admin', tenantId: null };
    return true;
  }
}

export function PlatformAdmin(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(PLATFORM_ADMIN_ROUTE, true),
    UseGuards(PlatformAdminGuard),
    ApiBearerAuth('platform-admin'),
    ApiUnauthorizedResponse({ description: 'Missing credential (problem+json)' }),
    ApiForbiddenResponse({ description: 'Not a platform admin key (problem+json)' }),
  );
}
