import type { ExecutionContext } from '@nestjs/common';
import type { ModuleRef } from '@nestjs/core';
import type { AppConfig } from '../config/config.schema';
import { ProblemException } from './problem';
import { PlatformAdminGuard } from './platform-admin.guard';

const KEY = 'the_platform_admin_key_0123456789';
const contextFor = (authorization?: string) => {
  const req = { headers: authorization ? { authorization } : {} } as { headers: Record<string, string>; principal?: unknown };
  return { req, context: { switchToHttp: () => ({ getRequest: () => req }) } as unknown as ExecutionContext };
};
const guardWith = (authenticate?: (token: string) => Promise<unknown>, key: string | undefined = KEY) =>
  new PlatformAdminGuard({ PLATFORM_ADMIN_KEY: key } as AppConfig, {
    get: () => {
      if (!authenticate) throw new Error('no authenticator');
      return { authenticate };
    },
  } as unknown as ModuleRef);
const statusOf = async (fn: () => unknown) => {
  try {
    await fn();
  } catch (error) {
    return (error as ProblemException).problem;
  }
  return null;
};
const unknownCredential = () => Promise.reject(new ProblemException({ status: 401, type: 'unauthorized', title: 'Unauthorized', detail: 'not valid' }));

describe('PlatformAdminGuard', () => {
  it('lets the admin key in, synchronously', () => {
    const { req, context } = contextFor(`Bearer ${KEY}`);
    expect(guardWith(unknownCredential).canActivate(context)).toBe(true);
    expect(req.principal).toMatchObject({ kind: 'platform-admin' });
  });

  it('answers a missing credential and an unknown one (a made-up sb_admin_ key) with 401', async () => {
    expect(await statusOf(() => guardWith(unknownCredential).canActivate(contextFor().context))).toMatchObject({ status: 401 });
    const made = await statusOf(() => guardWith(unknownCredential).canActivate(contextFor('Bearer sb_admin_0123456789abcdef').context));
    expect(made).toMatchObject({ status: 401, detail: 'This credential is not a valid platform admin key.' });
    expect(made?.headers?.['WWW-Authenticate']).toMatch(/error="invalid_token"/);
    // Without a tenant authenticator loaded, still 401.
    expect(await statusOf(() => guardWith(undefined).canActivate(contextFor('Bearer nope').context))).toMatchObject({ status: 401 });
  });

  it('answers a real tenant credential (or a suspended tenant\'s) with 403', async () => {
    const tenant = guardWith(async () => ({ kind: 'user', tenantId: 't' }));
    expect(await statusOf(() => tenant.canActivate(contextFor('Bearer sb_live_real').context))).toMatchObject({ status: 403, detail: expect.stringMatching(/tenant credential/) });
    const suspended = guardWith(() => Promise.reject(new ProblemException({ status: 403, type: 'tenant-suspended', title: 'Forbidden', detail: 'suspended' })));
    expect(await statusOf(() => suspended.canActivate(contextFor('Bearer sb_live_real').context))).toMatchObject({ status: 403 });
  });

  it('answers 403 when the admin API is disabled', async () => {
    expect(await statusOf(() => guardWith(unknownCredential, '').canActivate(contextFor(`Bearer ${KEY}`).context))).toMatchObject({ status: 403, detail: expect.stringMatching(/disabled/) });
  });
});
