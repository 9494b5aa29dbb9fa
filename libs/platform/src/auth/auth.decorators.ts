import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';

export const PUBLIC_ROUTE = 'switchboard:public';
export const REQUIRED_PERMISSION = 'switchboard:permission';

/** No credential needed (login, public help center, health). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

/**
 * A tenant credential with this permission (or with every one listed): a role that grants it, or
 * an API key with the scope. Shown in OpenAPI as the security requirement and `x-required-permission`.
 */
export function RequirePermission(...permissions: [string, ...string[]]): MethodDecorator & ClassDecorator {
  const listed = permissions.map((p) => `"${p}"`).join(' and ');
  return applyDecorators(
    SetMetadata(REQUIRED_PERMISSION, permissions.length === 1 ? permissions[0] : permissions),
    ApiBearerAuth('tenant'),
    ApiExtension('x-required-permission', permissions.length === 1 ? permissions[0] : permissions),
    ApiUnauthorizedResponse({ description: 'Missing, invalid or expired credential (problem+json)' }),
    ApiForbiddenResponse({ description: `Credential lacks ${listed}, or the tenant is suspended (problem+json)` }),
  );
}

/** Any authenticated tenant credential (e.g. GET /v1/me). */
export function Authenticated(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(REQUIRED_PERMISSION, null),
    ApiBearerAuth('tenant'),
    ApiUnauthorizedResponse({ description: 'Missing, invalid or expired credential (problem+json)' }),
  );
}
