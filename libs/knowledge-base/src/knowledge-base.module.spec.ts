import { jest } from '@jest/globals';
import type { DynamicModule, Provider } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { CommandBus, CqrsModule, QueryBus } from '@nestjs/cqrs';
import { Test } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import { aiGatewayConfig, aiGatewayContext, AiGateway, EMBEDDINGS_PROVIDER, type EmbeddingsProvider } from '@switchboard/ai-gateway';
import {
  APP_CONFIG,
  ContextRegistry,
  EventConsumer,
  InvalidationBus,
  JobHandlerRegistry,
  JobScheduler,
  loadConfig,
  localInvalidationBus,
  Metrics,
  platformContext,
  REDIS,
  TenantTransaction,
  WorkerRunner,
  type EventEnvelope,
} from '@switchboard/platform';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import { ClsService } from 'nestjs-cls';
import { Registry } from 'prom-client';
import { AnswerQuestionCommand } from './commands/answer-question/answer-question.command';
import { UpdateArticleCommand } from './commands/update-article/update-article.command';
import { ArticleIndexer } from './indexing/article-indexer';
import { CategoriesRepository } from './repositories/categories.repository';
import { KnowledgeBaseAnswersModule } from './knowledge-base-answers.module';
import { ContactErasureRequested, customersContext } from '@switchboard/customers';
import { KnowledgeBaseWorkerModule } from './knowledge-base-worker.module';
import { ArticleArchived, ArticlePublished, ArticleUpdated, EmbeddingsQueue, kbConfig, knowledgeBaseContext } from './knowledge-base.context';
import { KnowledgeBaseModule } from './knowledge-base.module';
import { GetChunksQuery } from './queries/get-chunks/get-chunks.query';
import { EmbeddingsQueueProcessor } from './worker/embeddings-queue.processor';

/**
 * Each knowledge-base module boots with only what it imports plus the few platform providers a
 * process supplies globally, faked here. A provider that needs something the module does not
 * declare (or import) fails `compile()`, and a command or query sent to a module that is not
 * imported fails on the bus.
 */

const config = loadConfig(
  { DATABASE_URL: 'postgres://u:p@localhost:5432/db', REDIS_URL: 'redis://127.0.0.1:6379', KB_ARTICLE_MAX_BYTES: '1kb', AI_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}` },
  [knowledgeBaseContext, aiGatewayContext],
);
// Vectors without a direction: search then answers from full text alone, which needs no vector column.
const embeddings: EmbeddingsProvider = { id: 'local', model: 'test', dimensions: 3, embed: async (texts) => texts.map(() => new Float32Array(3)) };

/** What PlatformModule and AiGatewayModule give every process, as fakes: global, like the real ones. */
function fakePlatform(tx: FakeTenantTransaction, extra: Provider[] = [], imports: DynamicModule['imports'] = []): DynamicModule {
  const providers: Provider[] = [
    { provide: TenantTransaction, useValue: tx.asTenantTransaction() },
    { provide: EventConsumer, useValue: { once: jest.fn() } },
    { provide: kbConfig.token, useValue: config },
    { provide: EMBEDDINGS_PROVIDER, useValue: embeddings },
    ...extra,
  ];
  return { module: class FakePlatformModule {}, global: true, imports: [CqrsModule.forRoot(), ...imports], providers, exports: providers.map((p) => (typeof p === 'function' ? p : p.provide)) };
}

describe('KnowledgeBaseModule', () => {
  it('boots with the tenant transaction, event consumer, its config slice and an embeddings provider, and routes its commands and queries', async () => {
    const tx = new FakeTenantTransaction();
    const app = await Test.createTestingModule({ imports: [fakePlatform(tx), KnowledgeBaseModule] }).compile();
    await app.init();
    // Reached their handlers: a query that needs no statement, and a command refused by the configured body limit.
    await expect(app.get(QueryBus).execute(new GetChunksQuery(testContext().tenantId, ['not-a-uuid'], 'agent'))).resolves.toEqual([]);
    await expect(async () => app.get(CommandBus).execute(new UpdateArticleCommand(testContext(), 'art-1', { body: 'x'.repeat(1025) }, 1))).rejects.toMatchObject({ problem: { status: 413 } });
    expect(tx.committed).toEqual([]);
    await app.close();
  });

  it('does not boot without an embeddings provider', async () => {
    const tx = new FakeTenantTransaction();
    const platform = fakePlatform(tx);
    platform.providers = platform.providers!.filter((p) => typeof p === 'function' || p.provide !== EMBEDDINGS_PROVIDER);
    platform.exports = platform.exports!.filter((token) => token !== EMBEDDINGS_PROVIDER);
    await expect(Test.createTestingModule({ imports: [platform, KnowledgeBaseModule] }).compile()).rejects.toThrow(/EMBEDDINGS_PROVIDER/);
  });
});

describe('KnowledgeBaseAnswersModule', () => {
  it('boots with the AI gateway’s chat module it imports, and its answers reach the search query of the knowledge base it imports', async () => {
    const tx = new FakeTenantTransaction();
    // The search is one batched read; an empty knowledge base answers with no rows.
    const reads = jest.fn(async () => [[]]);
    Object.assign(tx, { reads });
    const app = await Test.createTestingModule({
      imports: [
        fakePlatform(tx, [
          // What the AI gateway's chat module needs from the platform.
          { provide: APP_CONFIG, useValue: config },
          { provide: aiGatewayConfig.token, useValue: config },
          { provide: getDataSourceToken(), useValue: {} },
          { provide: REDIS, useValue: {} },
          { provide: InvalidationBus, useValue: localInvalidationBus().bus },
          { provide: ClsService, useValue: {} },
          { provide: Metrics, useValue: { registry: new Registry() } },
        ]),
        KnowledgeBaseAnswersModule,
      ],
    })
      // The tenant's languages (for query language detection), read once a minute outside the search statement.
      .overrideProvider(CategoriesRepository)
      .useValue({ locales: jest.fn(async () => ['en']) })
      .compile();
    await app.init();
    const complete = jest.spyOn(app.get(AiGateway), 'complete');
    const answer = await app.get(CommandBus).execute(new AnswerQuestionCommand(testContext(), { question: 'How do I reset my password?', audience: 'public' }));
    expect(answer).toMatchObject({ found: false, provider: null });
    expect(reads).toHaveBeenCalledTimes(1);
    expect(complete).not.toHaveBeenCalled();
    await app.close();
  });
});

describe('KnowledgeBaseWorkerModule', () => {
  it('boots with the worker platform, and its subscription is routed through a queue and events the context declares', async () => {
    const tx = new FakeTenantTransaction();
    const app = await Test.createTestingModule({
      imports: [
        fakePlatform(
          tx,
          [
            // The worker platform's registry and runner, real, against a registry of the platform and this context only.
            { provide: ContextRegistry, useValue: new ContextRegistry([platformContext, customersContext, knowledgeBaseContext]) },
            JobHandlerRegistry,
            WorkerRunner,
            { provide: JobScheduler, useValue: {} },
            { provide: Metrics, useValue: {} },
            { provide: ClsService, useValue: {} },
          ],
          [DiscoveryModule],
        ),
        KnowledgeBaseWorkerModule,
      ],
    }).compile();
    const runner = app.get(WorkerRunner);
    const register = jest.spyOn(runner, 'register');
    await app.init();
    expect(register).toHaveBeenCalledWith(app.get(EmbeddingsQueueProcessor));
    expect(app.get(EmbeddingsQueueProcessor).queue).toBe(EmbeddingsQueue.name);

    const jobs = app.get(JobHandlerRegistry);
    for (const event of [ArticlePublished, ArticleUpdated, ArticleArchived]) expect(jobs.subscriptionsFor(event.type)).toEqual([{ queue: 'embeddings', job: 'kb.index-article' }]);
    expect(jobs.subscriptionsFor(ContactErasureRequested.type)).toEqual([{ queue: 'embeddings', job: 'kb.erase-contact' }]);
    expect(() => jobs.assertComplete(EmbeddingsQueue.name)).not.toThrow();

    const index = jest.spyOn(app.get(ArticleIndexer), 'index').mockResolvedValue({ articleId: 'art-1', chunks: 0, embedded: 0, reused: 0, removed: 0, version: null });
    const event = { id: 'evt-1', tenantId: testContext().tenantId, type: ArticlePublished.type, aggregateId: 'art-1' } as EventEnvelope<unknown>;
    await jobs.dispatch('embeddings', { name: 'kb.index-article', data: event } as never);
    expect(index).toHaveBeenCalledWith(event.tenantId, 'art-1', event, 'embeddings:kb.index-article');
    await app.close();
  });
});
