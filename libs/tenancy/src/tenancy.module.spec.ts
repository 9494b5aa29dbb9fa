import { Global, Module, type Provider } from '@nestjs/common';
import { CommandBus, CqrsModule, QueryBus } from '@nestjs/cqrs';
import { Test } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import { APP_CONFIG, AUTHENTICATOR, ContextRegistry, FeatureFlags, InvalidatedCache, InvalidationBus, loadConfig, MAILER, REDIS, TenantFiles, TenantTransaction } from '@switchboard/platform';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import { TenancyAuthenticator } from './auth/tenancy-authenticator';
import { TokenService } from './auth/token-service';
import { RevokeInvitationCommand } from './commands/revoke-invitation/revoke-invitation.command';
import { GetMemberRoleQuery } from './queries/get-member-role/get-member-role.query';
import { InvitationsRepository } from './repositories/invitations.repository';
import { MembersRepository } from './repositories/members.repository';
import { TenantDataRepository } from './repositories/tenant-data.repository';
import { tenancyConfig, tenancyContext } from './tenancy.context';
import { TenancyModule } from './tenancy.module';
import { PurgeTenantJob } from './worker/purge-tenant.job';

const config = loadConfig({ DATABASE_URL: 'postgres://u:p@localhost:5432/db', REDIS_URL: 'redis://127.0.0.1:6379', AUTH_JWT_SECRET: 'k'.repeat(32), AUTH_ENCRYPTION_KEYS: `t1:${Buffer.alloc(32, 7).toString('base64')}` }, [tenancyContext]);

/** What PlatformModule provides (globally) that tenancy uses, faked: no database, no Redis. */
const platform: Provider[] = [
  { provide: TenantTransaction, useValue: new FakeTenantTransaction() },
  { provide: getDataSourceToken(), useValue: { query: async () => [] } },
  { provide: REDIS, useValue: {} },
  { provide: APP_CONFIG, useValue: config },
  { provide: tenancyConfig.token, useValue: config },
  { provide: MAILER, useValue: { send: async () => undefined } },
  { provide: TenantFiles, useValue: { removeAll: async () => 0 } },
  { provide: FeatureFlags, useFactory: () => new FeatureFlags(new ContextRegistry([tenancyContext]), {} as never) },
  {
    provide: InvalidationBus,
    useValue: { cache: (_topic: string, options: ConstructorParameters<typeof InvalidatedCache>[1]) => new InvalidatedCache({ live: false, start: () => undefined }, options), publish: async () => undefined },
  },
];

@Global()
@Module({ imports: [CqrsModule.forRoot()], providers: platform, exports: [CqrsModule, ...platform.map((p) => (p as { provide: unknown }).provide as symbol)] })
class FakePlatformModule {}

describe('TenancyModule', () => {
  it('boots with nothing but the platform: every handler, repository and credential service resolves', async () => {
    const invitations = { findForUpdate: async () => undefined };
    const members = { roleOf: async () => 'admin' as const };
    const moduleRef = await Test.createTestingModule({ imports: [FakePlatformModule, TenancyModule] })
      .overrideProvider(InvitationsRepository)
      .useValue(invitations)
      .overrideProvider(MembersRepository)
      .useValue(members)
      .compile();
    await moduleRef.init();
    try {
      expect(moduleRef.get(AUTHENTICATOR)).toBeInstanceOf(TenancyAuthenticator);
      expect(moduleRef.get(TokenService).accessTtlSeconds).toBe(900);
      // Handlers are registered on the buses and reach their repositories.
      await expect(moduleRef.get(CommandBus).execute(new RevokeInvitationCommand(testContext(), 'inv-1'))).rejects.toMatchObject({ problem: { status: 404 } });
      expect(await moduleRef.get(QueryBus).execute(new GetMemberRoleQuery(testContext().tenantId, 'u1'))).toBe('admin');
    } finally {
      await moduleRef.close();
    }
  });

  it('exports what the worker’s purge needs', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [FakePlatformModule, TenancyModule], providers: [PurgeTenantJob, TenantDataRepository] }).compile();
    expect(moduleRef.get(PurgeTenantJob)).toBeInstanceOf(PurgeTenantJob);
    await moduleRef.close();
  });
});
