import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Global, Module, type DynamicModule, type Provider } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { AiGatewayModule, EMBEDDINGS_PROVIDER, embeddingsCacheDir, LocalEmbeddingsProvider, type AiGatewayConfig } from '../libs/ai-gateway/src';
import {
  KnowledgeBaseModule,
  SearchArticlesQuery,
  type SearchMode,
  type SearchResults,
} from '../libs/knowledge-base/src';
import { PlatformModule, type AppConfig } from '../libs/platform/src';
import { TenancyModule } from '../libs/tenancy/src';
import { Bm25Index } from './kb-eval/bm25';
import { withEvalDatabase } from './kb-eval/eval-database';
import { loadHelpCenter, type EvalArticle } from './kb-eval/help-center';
import { meanMetrics, scoreRanking, type MetricSet } from './kb-eval/metrics';
import { CONTEXTS } from '../apps/contexts';

/**
 * `npm run kb:eval`: measures the product's knowledge-base search on a labelled help center
 * (bench/kb-eval). A fresh embedded PostgreSQL is migrated; for each embedder variant a tenant is
 * created and the articles go in through the product's own commands (create, publish, index with
 * the injected EMBEDDINGS_PROVIDER); every query then runs through SearchArticlesQuery in each
 * mode. A plain BM25 over title + body, computed here, is the reference to beat.
 *
 * Options: --semantic-weight <0..1> and --sif-a <a> try local-embedder settings other than the
 * defaults (for tuning; the reported numbers use the defaults), --json prints the raw numbers.
 */

type Kind = 'keyword' | 'paraphrase' | 'typo';
interface LabelledQuery {
  id: string;
  kind: Kind;
  q: string;
  relevant: string[];
}

const DATASET_DIR = join(__dirname, '..', '..', 'bench', 'kb-eval');
const KINDS: Kind[] = ['keyword', 'paraphrase', 'typo'];
const MODES: SearchMode[] = ['lexical', 'dense', 'hybrid'];

interface Variant {
  name: string;
  provider: 'local' | 'local-lexical';
}
const VARIANTS: Variant[] = [
  { name: 'local', provider: 'local' },
  { name: 'local-lexical (no word vectors)', provider: 'local-lexical' },
];

interface RunRow {
  method: string;
  perQuery: Map<string, MetricSet>;
}

@Global()
@Module({})
class EmbedderOverrideModule {
  static forRoot(provider: Provider): DynamicModule {
    return { module: EmbedderOverrideModule, providers: [provider], exports: [EMBEDDINGS_PROVIDER] };
  }
}

@Module({})
class EvalModule {
  static forRoot(config: AppConfig & AiGatewayConfig, override?: { semanticWeight?: number; sifA?: number }): DynamicModule {
    const embeddings = override
      ? EmbedderOverrideModule.forRoot({
          provide: EMBEDDINGS_PROVIDER,
          useValue: new LocalEmbeddingsProvider({
            cacheDir: embeddingsCacheDir(config),
            semanticWeight: config.EMBEDDINGS_PROVIDER === 'local-lexical' ? 0 : override.semanticWeight,
            sifA: override.sifA,
          }),
        })
      : AiGatewayModule.forRoot(config);
    return { module: EvalModule, imports: [PlatformModule.forRoot(config, { http: false, contexts: CONTEXTS }), embeddings, TenancyModule, KnowledgeBaseModule] };
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { 'semantic-weight': { type: 'string' }, 'sif-a': { type: 'string' }, json: { type: 'boolean' } } });
  const override =
    values['semantic-weight'] !== undefined || values['sif-a'] !== undefined
      ? { semanticWeight: values['semantic-weight'] !== undefined ? Number(values['semantic-weight']) : undefined, sifA: values['sif-a'] !== undefined ? Number(values['sif-a']) : undefined }
      : undefined;
  const articles = (JSON.parse(readFileSync(join(DATASET_DIR, 'articles.json'), 'utf8')) as { articles: EvalArticle[]; products: Record<string, string> });
  const queries = (JSON.parse(readFileSync(join(DATASET_DIR, 'queries.json'), 'utf8')) as { queries: LabelledQuery[] }).queries;
  const log = (message: string) => process.stderr.write(`kb:eval: ${message}\n`);
  log(`${articles.articles.length} articles, ${queries.length} queries (${KINDS.map((k) => `${queries.filter((q) => q.kind === k).length} ${k}`).join(', ')})`);

  const rows: RunRow[] = [];
  const bm25 = new Bm25Index(articles.articles.map((a) => ({ id: a.id, text: `${a.title}\n${a.body}` })));
  rows.push({ method: 'BM25 (plain, in this script)', perQuery: new Map(queries.map((q) => [q.id, scoreRanking(bm25.search(q.q, 10).map((r) => r.id), new Set(q.relevant))])) });

  await withEvalDatabase('kb-eval', async (db) => {
    for (const [v, variant] of VARIANTS.entries()) {
      const config = db.config({ EMBEDDINGS_PROVIDER: variant.provider });
      const app = await NestFactory.createApplicationContext(EvalModule.forRoot(config, override), { logger: ['error', 'warn'] });
      try {
        const commands = app.get(CommandBus);
        const queryBus = app.get(QueryBus);
        const embedder = app.get<{ id: string; model: string }>(EMBEDDINGS_PROVIDER);
        const started = Date.now();
        const { tenantId, idOf } = await loadHelpCenter(commands, articles, `kb-eval-${v}`);
        log(`${variant.name}: ${articles.articles.length} articles created, published and indexed with ${embedder.id} (${embedder.model}) in ${Date.now() - started} ms`);
        const datasetId = new Map([...idOf].map(([k, id]) => [id, k]));
        const runs: { mode: SearchMode; rewrite: boolean }[] = [...MODES.map((mode) => ({ mode, rewrite: false })), ...(v === 0 ? (['lexical', 'hybrid'] as const).map((mode) => ({ mode, rewrite: true })) : [])];
        for (const { mode, rewrite } of runs) {
          // Full text does not depend on the embedder: report it once.
          if (mode === 'lexical' && v > 0) continue;
          const perQuery = new Map<string, MetricSet>();
          const t0 = Date.now();
          for (const q of queries) {
            const text = rewrite ? orQuery(q.q) : q.q;
            const { results }: SearchResults = await queryBus.execute(new SearchArticlesQuery({ tenantId, q: text, audience: 'agent', mode, limit: 10 }));
            perQuery.set(q.id, scoreRanking(results.map((r) => datasetId.get(r.articleId) ?? r.articleId), new Set(q.relevant)));
          }
          const base = mode === 'lexical' ? 'lexical (Postgres full text)' : `${mode} — ${variant.name}`;
          const label = rewrite ? `${base}, words OR-ed *` : base;
          rows.push({ method: label, perQuery });
          log(`${label}: ${queries.length} searches in ${Date.now() - t0} ms`);
        }
      } finally {
        await app.close();
      }
    }
  });

  const summary = rows.map((row) => ({
    method: row.method,
    all: meanMetrics([...row.perQuery.values()]),
    byKind: Object.fromEntries(KINDS.map((k) => [k, meanMetrics(queries.filter((q) => q.kind === k).map((q) => row.perQuery.get(q.id)!))])) as Record<Kind, MetricSet>,
  }));
  if (values.json) {
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    return;
  }
  const f = (n: number) => n.toFixed(3);
  const table = (header: string[], body: string[][]) => {
    const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
    const line = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
    return [line(header), `|${widths.map((w, i) => (i === 0 ? `${'-'.repeat(w + 2)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`, ...body.map(line)].join('\n');
  };
  const out: string[] = [];
  out.push(`kb:eval — ${articles.articles.length} articles, ${queries.length} queries${override ? ` (local embedder override: ${JSON.stringify(override)})` : ''}\n`);
  out.push('All queries\n');
  out.push(table(['method', 'recall@5', 'recall@10', 'MRR', 'nDCG@10'], summary.map((s) => [s.method, f(s.all.recall5), f(s.all.recall10), f(s.all.mrr), f(s.all.ndcg10)])));
  for (const kind of KINDS) {
    out.push(`\n${kind} queries (${queries.filter((q) => q.kind === kind).length})\n`);
    out.push(table(['method', 'recall@5', 'recall@10', 'MRR', 'nDCG@10'], summary.map((s) => [s.method, f(s.byKind[kind].recall5), f(s.byKind[kind].recall10), f(s.byKind[kind].mrr), f(s.byKind[kind].ndcg10)])));
  }
  // The targets, checked on the default embedder.
  const get = (method: string) => summary.find((s) => s.method === method)!;
  const hybrid = get('hybrid — local');
  const lexical = get('lexical (Postgres full text)');
  const dense = get('dense — local');
  const bm = get('BM25 (plain, in this script)');
  const metrics: (keyof MetricSet)[] = ['recall5', 'recall10', 'mrr', 'ndcg10'];
  const beatsSingles = metrics.filter((m) => hybrid.all[m] < Math.max(lexical.all[m], dense.all[m]));
  out.push('\n* what-if, not the product as shipped: the same SearchArticlesQuery with the query words joined by `or`.');
  out.push('\nTargets (hybrid with the local embedder)');
  out.push(`- ≥ the better single method on every metric: ${beatsSingles.length === 0 ? 'yes' : `no (${beatsSingles.join(', ')})`}`);
  for (const scope of ['all', 'paraphrase', 'typo'] as const) {
    const h = scope === 'all' ? hybrid.all : hybrid.byKind[scope];
    const b = scope === 'all' ? bm.all : bm.byKind[scope];
    out.push(`- vs plain BM25 on ${scope} queries: nDCG@10 ${f(h.ndcg10)} vs ${f(b.ndcg10)} (${h.ndcg10 >= b.ndcg10 ? '+' : ''}${f(h.ndcg10 - b.ndcg10)}), MRR ${f(h.mrr)} vs ${f(b.mrr)}`);
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

/**
 * A what-if for the search SQL, measured through the product's own query: the query's words
 * joined by websearch's `or`, so that full text matches any word (ranked by ts_rank_cd, documents
 * with more of them first) instead of requiring all of them.
 */
function orQuery(q: string): string {
  return (q.match(/[\p{L}\p{N}]+/gu) ?? []).join(' or ');
}

main().catch((error: unknown) => {
  process.stderr.write(`kb:eval failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
