import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import { Global, Module, type Type } from '@nestjs/common';
import { DiscoveryModule, DiscoveryService } from '@nestjs/core';
import { Command, CommandBus, CqrsModule, Query, QueryBus } from '@nestjs/cqrs';
import { getDataSourceToken } from '@nestjs/typeorm';
import { Test, type TestingModule } from '@nestjs/testing';
import * as aiGateway from '@switchboard/ai-gateway';
import * as customers from '@switchboard/customers';
import * as knowledgeBase from '@switchboard/knowledge-base';
import { AgentPresenceReader, ContextRegistry, EventConsumer, FeatureFlags, InvalidationBus, loadConfig, MAILER, Metrics, PlatformConfigModule, QueueRegistry, REDIS, TenantFiles, TenantTransaction, ObjectStorage, createObjectStorage, type ContextDefinition } from '@switchboard/platform';
import { FakeTenantTransaction } from '@switchboard/platform/testing';
import * as tenancy from '@switchboard/tenancy';
import { ClsModule } from 'nestjs-cls';
import * as tickets from '@switchboard/tickets';
import { reportingContext } from './reporting.context';
import { ReportingModule } from './reporting.module';
import { Registry } from 'prom-client';

/**
 * ReportingModule must bring every module whose handlers its own send queries to (tickets for
 * timelines and the ticket a caller asks about, tenancy for the tenant an operator names). This
 * boots it alone on a minimal platform (nothing connects anywhere), finds every command and query
 * class the reporting sources construct and sends each on the real bus with every handler's
 * `execute` stubbed to name its class: a message whose handler's module is not imported is not handled.
 */
const CONTEXTS: ContextDefinition[] = [tenancy.tenancyContext, customers.customersContext, tickets.ticketsContext, knowledgeBase.knowledgeBaseContext, aiGateway.aiGatewayContext, reportingContext];
const config = loadConfig(
  {
    DATABASE_URL: 'postgres://unused@127.0.0.1:1/unused',
    REDIS_URL: 'redis://127.0.0.1:1',
    AUTH_JWT_SECRET: 'a-test-secret-of-at-least-32-characters',
    AI_ENCRYPTION_KEYS: `test:${Buffer.alloc(32, 7).toString('base64')}`,
    AUTH_ENCRYPTION_KEYS: `test:${Buffer.alloc(32, 9).toString('base64')}`,
  },
  CONTEXTS,
);

/** What PlatformModule provides, minus connections: the database and Redis are inert fakes. */
@Global()
@Module({
  imports: [PlatformConfigModule.forRoot(config), ClsModule.forRoot({ global: true }), CqrsModule.forRoot(), DiscoveryModule],
  providers: [
    { provide: TenantTransaction, useValue: new FakeTenantTransaction() },
    { provide: getDataSourceToken(), useValue: { query: () => Promise.reject(new Error('no database in this test')) } },
    { provide: REDIS, useValue: { publish: async () => 0 } },
    { provide: MAILER, useValue: { send: async () => undefined } },
    { provide: AgentPresenceReader, useValue: { statuses: async () => new Map() } },
    { provide: aiGateway.EMBEDDINGS_PROVIDER, useValue: { id: 'fake', dimensions: 384, embed: async () => [] } },
    ...CONTEXTS.flatMap((c) => (c.config ? [{ provide: c.config.token, useValue: config }] : [])),
    EventConsumer,
    InvalidationBus,
    { provide: ObjectStorage, useFactory: () => createObjectStorage(config) },
    TenantFiles,
    { provide: QueueRegistry, useValue: { schedule: async () => 'job', add: async () => undefined } },
    { provide: Metrics, useFactory: () => ({ registry: new Registry() }) },
    { provide: FeatureFlags, useFactory: () => new FeatureFlags(new ContextRegistry(CONTEXTS), {} as never) },
  ],
  exports: [AgentPresenceReader, FeatureFlags, Metrics, QueueRegistry, TenantTransaction, getDataSourceToken(), REDIS, MAILER, aiGateway.EMBEDDINGS_PROVIDER, ...CONTEXTS.flatMap((c) => (c.config ? [c.config.token] : [])), EventConsumer, InvalidationBus, TenantFiles, CqrsModule],
})
class MinimalPlatformModule {}

/** Names of the command and query classes the reporting sources (not their specs) construct. */
function messagesSentByReporting(): string[] {
  const root = join(process.cwd(), 'libs/reporting/src');
  const names = new Set<string>();
  for (const file of readdirSync(root, { recursive: true, encoding: 'utf8' })) {
    if (!file.endsWith('.ts') || file.endsWith('.spec.ts') || file.startsWith('testing/')) continue;
    for (const [, name] of readFileSync(join(root, file), 'utf8').matchAll(/new\s+([A-Z]\w*(?:Command|Query))\(/g)) names.add(name!);
  }
  return [...names].sort();
}

/** Every exported command and query class of the contexts reporting talks to, and of reporting itself. */
async function messageClasses(): Promise<Map<string, Type>> {
  const root = join(process.cwd(), 'libs/reporting/src');
  const own = await Promise.all(
    readdirSync(root, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.command.ts') || f.endsWith('.query.ts'))
      .map((f) => import(join(root, f)) as Promise<Record<string, unknown>>),
  );
  const classes = new Map<string, Type>();
  for (const namespace of [...own, tenancy, tickets] as Record<string, unknown>[]) {
    for (const value of Object.values(namespace)) {
      if (typeof value === 'function' && (value.prototype instanceof Command || value.prototype instanceof Query)) classes.set(value.name, value as Type);
    }
  }
  return classes;
}

/** Boots `modules` on the minimal platform, with every handler's `execute` stubbed to name its class. */
async function boot(...modules: Type[]): Promise<TestingModule> {
  const moduleRef = await Test.createTestingModule({ imports: [MinimalPlatformModule, ...modules] }).compile();
  await moduleRef.init(); // registers the handlers on the buses
  for (const wrapper of moduleRef.get(DiscoveryService).getProviders()) {
    const type = wrapper.metatype as Type | null;
    if (!wrapper.instance || typeof type !== 'function' || type === CommandBus || type === QueryBus) continue;
    if (typeof type.prototype?.execute === 'function') {
      jest.spyOn(wrapper.instance as { execute: (m: unknown) => unknown }, 'execute').mockImplementation(async () => `handled by ${type.name}`);
    }
  }
  return moduleRef;
}

/** Sends one message of each named class (built without running its constructor) and says which handler took it. */
async function whoHandles(moduleRef: TestingModule, names: readonly string[]): Promise<Record<string, string>> {
  const classes = await messageClasses();
  const commands = moduleRef.get(CommandBus);
  const queries = moduleRef.get(QueryBus);
  const handledBy: Record<string, string> = {};
  for (const name of names) {
    const type = classes.get(name);
    if (!type) throw new Error(`${name} is constructed in libs/reporting/src but exported by none of the modules this test knows; add its context above`);
    const message = Object.create(type.prototype) as Command<unknown> | Query<unknown>;
    try {
      handledBy[name] = String(await (message instanceof Command ? commands.execute(message) : queries.execute(message as Query<unknown>)));
    } catch (error) {
      handledBy[name] = `NOT HANDLED (${(error as Error).constructor.name})`;
    }
  }
  return handledBy;
}

describe('ReportingModule', () => {
  let moduleRef: TestingModule;

  beforeAll(async () => {
    moduleRef = await boot(ReportingModule);
  });

  afterAll(async () => {
    await moduleRef?.close();
  });

  it('finds the messages it checks: the scan sees the cross-context ones', () => {
    expect(messagesSentByReporting()).toEqual(expect.arrayContaining(['TicketTimelinesQuery', 'GetTicketQuery', 'GetTenantQuery', 'RebuildMetricsCommand', 'GetTicketMetricsQuery']));
  });

  it('boots alone with a handler for every command and query the reporting sources send', async () => {
    const handledBy = await whoHandles(moduleRef, messagesSentByReporting());
    expect(Object.entries(handledBy).filter(([, by]) => by.startsWith('NOT HANDLED'))).toEqual([]);
    expect(handledBy).toMatchObject({
      TicketTimelinesQuery: 'handled by TicketTimelinesHandler',
      GetTicketQuery: 'handled by GetTicketHandler',
      GetTenantQuery: 'handled by GetTenantHandler',
      RebuildMetricsCommand: 'handled by RebuildMetricsHandler',
      GetMetricsRebuildQuery: 'handled by GetMetricsRebuildHandler',
      GetTicketMetricsQuery: 'handled by GetTicketMetricsHandler',
      GetStatusDurationsQuery: 'handled by GetStatusDurationsHandler',
      ExportTicketMetricsQuery: 'handled by ExportTicketMetricsHandler',
    });
  });

  it('would notice a missing import: without TicketsModule the timelines are unhandled', async () => {
    const imports = (Reflect.getMetadata('imports', ReportingModule) as Type[]).filter((m) => m !== tickets.TicketsModule);
    @Module({ imports, providers: Reflect.getMetadata('providers', ReportingModule) as Type[] })
    class ReportingWithoutTickets {}
    const partial = await boot(ReportingWithoutTickets);
    try {
      expect(await whoHandles(partial, ['TicketTimelinesQuery', 'GetTenantQuery'])).toEqual({
        TicketTimelinesQuery: 'NOT HANDLED (QueryHandlerNotFoundException)',
        GetTenantQuery: 'handled by GetTenantHandler',
      });
    } finally {
      await partial.close();
    }
  });
});
