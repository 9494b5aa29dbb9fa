import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import { SingleBar } from 'cli-progress';
import { DataSource } from 'typeorm';
import { AiGatewayModule } from '../libs/ai-gateway/src';
import { IndexArticleCommand, KnowledgeBaseModule, type IndexResult } from '../libs/knowledge-base/src';
import { loadConfigOrExit, PlatformModule, type AppConfig } from '../libs/platform/src';
import { CONTEXTS } from '../apps/contexts';

@Module({})
class ReindexModule {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: ReindexModule, imports: [PlatformModule.forRoot(config, { http: false, contexts: CONTEXTS }), AiGatewayModule.forRoot(config), KnowledgeBaseModule] };
  }
}

/**
 * `npm run kb:reindex [-- --tenant <slug>]`: re-chunks and re-embeds every article with the
 * configured provider (unchanged chunks of the same provider keep their vectors), and removes the
 * chunks of articles that are no longer published. Run it after changing EMBEDDINGS_PROVIDER or
 * the vector dimension (after the migration that changes the column).
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { tenant: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    process.stdout.write('Usage: npm run kb:reindex [-- --tenant <slug>]\n');
    return;
  }
  const config = loadConfigOrExit(process.env, CONTEXTS);
  const app = await NestFactory.createApplicationContext(ReindexModule.forRoot(config), { logger: ['error', 'warn'] });
  try {
    const db = app.get(DataSource);
    let tenantFilter = '';
    const params: unknown[] = [];
    if (values.tenant) {
      const rows: { id: string }[] = await db.query(`SELECT id FROM tenants WHERE slug = $1`, [values.tenant]);
      if (rows.length === 0) {
        process.stderr.write(`kb:reindex: no tenant with slug "${values.tenant}"\n`);
        process.exitCode = 2;
        return;
      }
      tenantFilter = 'AND tenant_id = $1';
      params.push(rows[0].id);
    }
    // Published articles, and any article that still has chunks (archived since, or drafts).
    const articles: { tenant_id: string; id: string }[] = await db.query(
      `SELECT tenant_id, id FROM kb_articles WHERE status = 'published' ${tenantFilter}
       UNION SELECT DISTINCT tenant_id, article_id FROM kb_chunks WHERE true ${tenantFilter}
       ORDER BY 1, 2`,
      params,
    );
    const commands = app.get(CommandBus);
    const bar = new SingleBar({
      format: 'kb:reindex [{bar}] {percentage}% | {value}/{total} articles | {rate} articles/s | ETA {eta_formatted} | {chunks} chunks, {embedded} embedded',
      hideCursor: true,
      etaBuffer: 50,
    });
    const totals = { chunks: 0, embedded: 0, reused: 0, removed: 0 };
    const started = Date.now();
    bar.start(articles.length, 0, { rate: '0.0', ...totals });
    for (const [i, article] of articles.entries()) {
      const result: IndexResult = await commands.execute(new IndexArticleCommand({ tenantId: article.tenant_id, articleId: article.id }));
      totals.chunks += result.chunks;
      totals.embedded += result.embedded;
      totals.reused += result.reused;
      totals.removed += result.removed;
      bar.update(i + 1, { rate: ((i + 1) / Math.max((Date.now() - started) / 1000, 0.001)).toFixed(1), ...totals });
    }
    bar.stop();
    const seconds = (Date.now() - started) / 1000;
    process.stdout.write(
      `kb:reindex: ${articles.length} articles in ${seconds.toFixed(1)} s — ${totals.chunks} chunks (${totals.embedded} embedded, ${totals.reused} unchanged), ${totals.removed} removed\n`,
    );
  } finally {
    await app.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`kb:reindex failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
