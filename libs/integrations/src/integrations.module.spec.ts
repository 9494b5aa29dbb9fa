import { Global, Module } from '@nestjs/common';
import { CommandBus, CqrsModule, QueryBus } from '@nestjs/cqrs';
import { Test } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import { loadConfig, MAILER, QueueRegistry, TenantTransaction } from '@switchboard/platform';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import { SaveWebhookCommand } from './commands/save-webhook/save-webhook.command';
import { integrationsConfig, integrationsContext, type IntegrationsConfig } from './integrations.context';
import { IntegrationsModule } from './integrations.module';
import { ListWebhooksQuery } from './queries/list-webhooks/list-webhooks.query';
import { WebhooksRepository } from './repositories/webhooks.repository';

const config = loadConfig({ DATABASE_URL: 'postgres://u:p@localhost:5432/db', REDIS_URL: 'redis://127.0.0.1:6379' }, [integrationsContext]);

/** What PlatformModule provides (globally) that integrations uses, faked: no database, Redis or mail. */
@Global()
@Module({
  imports: [CqrsModule.forRoot()],
  providers: [
    { provide: TenantTransaction, useValue: new FakeTenantTransaction().asTenantTransaction() },
    { provide: integrationsConfig.token, useValue: config },
    { provide: getDataSourceToken(), useValue: {} },
    { provide: QueueRegistry, useValue: {} },
    { provide: MAILER, useValue: { send: async () => undefined } },
  ],
  exports: [CqrsModule, TenantTransaction, integrationsConfig.token, getDataSourceToken(), QueueRegistry, MAILER],
})
class FakePlatformModule {}

describe('IntegrationsModule', () => {
  it('boots with nothing but the platform, and its handlers answer on the buses', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [FakePlatformModule, IntegrationsModule] })
      .overrideProvider(WebhooksRepository)
      .useValue({ findEndpoint: async () => undefined })
      .compile();
    await moduleRef.init();
    try {
      const slice = config as unknown as IntegrationsConfig;
      expect(slice.WEBHOOKS_TIMEOUT_MS).toBe(10_000);
      expect(slice.WEBHOOKS_ALLOW_LOOPBACK_HTTP).toBe(false);
      await expect(moduleRef.get(CommandBus).execute(new SaveWebhookCommand(testContext(), null, { url: 'http://hooks.example.com', eventTypes: ['*'] }))).rejects.toMatchObject({ problem: { status: 422 } });
      await expect(moduleRef.get(QueryBus).execute(new ListWebhooksQuery(testContext().tenantId, 'e9'))).rejects.toMatchObject({ problem: { status: 404 } });
    } finally {
      await moduleRef.close();
    }
  });
});

describe('integrations configuration', () => {
  const base = { DATABASE_URL: 'postgres://u:p@localhost:5432/db', REDIS_URL: 'redis://127.0.0.1:6379', PLATFORM_ADMIN_KEY: 'k'.repeat(32) };

  it('refuses the test-only loopback allowance in production, and allows it in tests', () => {
    expect(() => loadConfig({ ...base, NODE_ENV: 'production', WEBHOOKS_ALLOW_LOOPBACK_HTTP: 'true' }, [integrationsContext])).toThrow(/WEBHOOKS_ALLOW_LOOPBACK_HTTP/);
    expect((loadConfig({ ...base, NODE_ENV: 'test', WEBHOOKS_ALLOW_LOOPBACK_HTTP: 'true' }, [integrationsContext]) as unknown as IntegrationsConfig).WEBHOOKS_ALLOW_LOOPBACK_HTTP).toBe(true);
  });

  it('refuses encryption keys that are not 32 bytes', () => {
    expect(() => loadConfig({ ...base, WEBHOOKS_ENCRYPTION_KEYS: `k1:${Buffer.alloc(16).toString('base64')}` }, [integrationsContext])).toThrow(/32 bytes/);
  });
});
