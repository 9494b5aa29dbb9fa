import { Global, Module, type DynamicModule } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { BullModule } from '@nestjs/bullmq';
import { CqrsModule } from '@nestjs/cqrs';
import { TerminusModule } from '@nestjs/terminus';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PlatformConfigModule } from './config/config.module';
import { AsyncContextModule } from './context/async-context.module';
import type { AppConfig } from './config/config.schema';
import { buildDataSourceOptions } from './database/data-source-options';
import { TenantTransaction } from './database/tenant-transaction';
import { RequestProbeHandler } from './diagnostics/commands/request-probe/request-probe.handler';
import { DeleteFeatureFlagHandler } from './flags/commands/delete-feature-flag/delete-feature-flag.handler';
import { SaveFeatureFlagHandler } from './flags/commands/save-feature-flag/save-feature-flag.handler';
import { FeatureFlagAdmin } from './flags/feature-flag-admin';
import { FeatureFlags } from './flags/feature-flags';
import { Probe } from './diagnostics/entities/probe.entity';
import { GetProbeHandler } from './diagnostics/queries/get-probe/get-probe.handler';
import { ListProbesHandler } from './diagnostics/queries/list-probes/list-probes.handler';
import { ReadinessCheck, RedisHealthIndicator, ShutdownState } from './observability/health';
import { MetricsModule } from './observability/metrics';
import { EventConsumer } from './outbox/event-consumer';
import { QueueRegistry } from './queues/queue-registry.service';
import { platformContext } from './platform.context';
import type { ContextDefinition } from './registry/context';
import { ContextRegistry } from './registry/context-registry';
import { installIoGuard } from './database/transaction-scope';
import { QUEUE_CONNECTION, RedisModule } from './redis/redis.module';
import type { createQueueConnection } from './redis/redis-client';
import { InvalidationBus } from './cache/invalidation-bus';
import { FileMailer, MAILER } from './mail/mailer';
import { TenantFiles } from './storage/uploads';
import { ObjectStorage } from './storage/object-storage';
import { createObjectStorage } from './storage/create-object-storage';
import { ReplayConsoleEventsHandler } from './realtime/queries/replay-events/replay-events.handler';
import { AgentPresenceReader } from './realtime/agent-presence';

/**
 * What both apps share: config, database, tenant transactions, Redis, queues, CQRS, metrics; and
 * the registry of the contexts the app is assembled from (their events, queues, jobs, config
 * slices and console events), checked when the module is built.
 */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(config: AppConfig, options: { http: boolean; contexts: readonly ContextDefinition[] }): DynamicModule {
    const registry = new ContextRegistry([platformContext, ...options.contexts]);
    // Tests fail on a Redis or HTTP call made while a database transaction is open (conventions, rule 16).
    if (config.NODE_ENV === 'test') installIoGuard();
    const configSlices = options.contexts.flatMap((c) => (c.config ? [{ provide: c.config.token, useValue: config }] : []));
    return {
      module: PlatformModule,
      imports: [
        PlatformConfigModule.forRoot(config),
        // The HTTP app enters it per request itself (configureHttpApp), after the body is read.
        AsyncContextModule,
        CqrsModule.forRoot(),
        DiscoveryModule,
        TerminusModule.forRoot({ logger: false }),
        TypeOrmModule.forRootAsync({ useFactory: () => ({ ...buildDataSourceOptions(config), autoLoadEntities: true }) }),
        TypeOrmModule.forFeature([Probe]),
        RedisModule,
        BullModule.forRootAsync({
          inject: [QUEUE_CONNECTION],
          useFactory: (connection: ReturnType<typeof createQueueConnection>) => ({
            connection,
            prefix: config.QUEUE_PREFIX,
            defaultJobOptions: {
              attempts: 8,
              backoff: { type: 'exponential', delay: 1_000 },
              removeOnComplete: { age: 3_600, count: 10_000 },
              removeOnFail: { age: 7 * 24 * 3_600 },
            },
          }),
        }),
        BullModule.registerQueue(...registry.queueNames.map((name) => ({ name }))),
        MetricsModule,
      ],
      providers: [
        { provide: ContextRegistry, useValue: registry },
        ...configSlices,
        TenantTransaction,
        QueueRegistry,
        EventConsumer,
        RedisHealthIndicator,
        ReadinessCheck,
        ShutdownState,
        RequestProbeHandler,
        { provide: MAILER, useClass: FileMailer },
        { provide: ObjectStorage, useFactory: () => createObjectStorage(config) },
        TenantFiles,
        GetProbeHandler,
        ListProbesHandler,
        ReplayConsoleEventsHandler,
        InvalidationBus,
        FeatureFlags,
        FeatureFlagAdmin,
        SaveFeatureFlagHandler,
        DeleteFeatureFlagHandler,
        AgentPresenceReader,
      ],
      exports: [ContextRegistry, AgentPresenceReader, FeatureFlags, FeatureFlagAdmin, ...configSlices.map((p) => p.provide), InvalidationBus, MAILER, ObjectStorage, TenantFiles, TenantTransaction, QueueRegistry, EventConsumer, ReadinessCheck, ShutdownState, CqrsModule, BullModule, TypeOrmModule],
    };
  }
}
