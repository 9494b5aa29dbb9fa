import 'reflect-metadata';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Global, Module, type DynamicModule, type Provider } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { AiGatewayModule, EMBEDDINGS_PROVIDER, embeddingsCacheDir, LocalEmbeddingsProvider, type AiGatewayConfig } from '../libs/ai-gateway/src';
import {
  KnowledgeBaseModule,
  SaveSynonymSetCommand,
  SearchArticlesQuery,
  type RerankWeights,
  type SearchMode,
  type SearchResults,
} from '../libs/knowledge-base/src';
import { PlatformModule, type AppConfig } from '../libs/platform/src';
import { TenancyModule } from '../libs/tenancy/src';
import { Bm25Index, plainTokens, stemmedTokens } from './kb-eval/bm25';
import { withEvalDatabase } from './kb-eval/eval-database';
import { loadHelpCenter, type EvalDataset } from './kb-eval/help-center';
import { meanMetrics, scoreRanking, type MetricSet } from './kb-eval/metrics';
import { splitHalves } from './kb-eval/halves';
import { CONTEXTS } from '../apps/contexts';

/**
 * `npm run kb:eval`: measures the product's knowledge-base search on labelled help centers
 * (bench/kb-eval): two companies in two tenants sharing vocabulary. A fresh embedded PostgreSQL is
 * migrated; for each embedder variant the tenants are created and the articles go in through the
 * product's own commands (create, publish, index with the injected EMBEDDINGS_PROVIDER); every
 * query then runs through SearchArticlesQuery in each mode, in its own tenant. BM25 over title +
 * body with stemming and stop words, computed here per tenant, is the reference to beat.
 *
 * Only the report half of the queries is measured unless --half tuning (choose settings on it) or
 * --half all. Options: --lists <file> writes each query's ranked articles per mode (to try fusion
 * settings on the tuning half), --features <file> writes the rerank's candidates with their
 * features (fit its weights with `scripts/kb-eval/fit-rerank.ts` on the tuning half), --semantic-weight <0..1> and --sif-a <a> try local-embedder settings other
 * than the defaults (for tuning; the reported numbers use the defaults), --json prints the raw
 * numbers.
 */

type Kind = 'keyword' | 'paraphrase' | 'typo' | 'question' | 'vague' | 'mixed-language' | 'cross-tenant';
interface LabelledQuery {
  id: string;
  kind: Kind;
  q: string;
  relevant: string[];
  /** 'b': the second help center's tenant (articles-b.json); default the first. */
  tenant?: 'b';
}
type Half = 'tuning' | 'report' | 'all';

const DATASET_DIR = join(__dirname, '..', '..', 'bench', 'kb-eval');
const KINDS: Kind[] = ['keyword', 'paraphrase', 'typo', 'question', 'vague', 'mixed-language', 'cross-tenant'];
const MODES: SearchMode[] = ['lexical', 'dense', 'hybrid'];
/** Fusion alone: the rerank's weights with only the fused score (the ranking before ADR 0063). */
const FUSION_ONLY: RerankWeights = { fused: 1, lexical: 0, coverage: 0, title: 0, similarity: 0, feedback: 0, learned: 0 };


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
  const { values } = parseArgs({ options: { features: { type: 'string' }, 'semantic-weight': { type: 'string' }, 'sif-a': { type: 'string' }, half: { type: 'string' }, json: { type: 'boolean' }, lists: { type: 'string' } } });
  const half = (values.half ?? 'report') as Half;
  if (!['tuning', 'report', 'all'].includes(half)) throw new Error('--half is tuning, report or all');
  const override =
    values['semantic-weight'] !== undefined || values['sif-a'] !== undefined
      ? { semanticWeight: values['semantic-weight'] !== undefined ? Number(values['semantic-weight']) : undefined, sifA: values['sif-a'] !== undefined ? Number(values['sif-a']) : undefined }
      : undefined;
  const read = (file: string) => JSON.parse(readFileSync(join(DATASET_DIR, file), 'utf8')) as EvalDataset;
  const centers: Record<'a' | 'b', EvalDataset> = { a: read('articles.json'), b: read('articles-b.json') };
  const all = (JSON.parse(readFileSync(join(DATASET_DIR, 'queries.json'), 'utf8')) as { queries: LabelledQuery[] }).queries;
  const synonyms = JSON.parse(readFileSync(join(DATASET_DIR, 'synonyms.json'), 'utf8')) as Record<'a' | 'b', string[][]>;
  const halves = splitHalves(all);
  const queries = half === 'all' ? all : halves[half];
  const articleCount = centers.a.articles.length + centers.b.articles.length;
  const log = (message: string) => process.stderr.write(`kb:eval: ${message}\n`);
  log(`${articleCount} articles in 2 tenants, ${half} half: ${queries.length} of ${all.length} queries (${KINDS.map((k) => `${queries.filter((q) => q.kind === k).length} ${k}`).join(', ')})`);

  const rows: RunRow[] = [];
  // --lists <file>: every query's ranked articles (40) per mode with the default embedder, to try fusion settings on.
  const lists: { id: string; kind: Kind; mode: SearchMode; relevant: string[]; ranked: string[] }[] = [];
  const features: { id: string; kind: Kind; relevant: string[]; candidates: { id: string; features: Record<keyof RerankWeights, number> }[] }[] = [];
  for (const [method, analyse] of [['BM25 with stemming (reference, in this script)', stemmedTokens], ['BM25 plain (in this script)', plainTokens]] as const) {
    // One index per tenant: its idf is the tenant's own, as the product's must be.
    const index = { a: new Bm25Index(centers.a.articles.map((a) => ({ id: a.id, text: `${a.title}\n${a.body}` })), analyse), b: new Bm25Index(centers.b.articles.map((a) => ({ id: a.id, text: `${a.title}\n${a.body}` })), analyse) };
    rows.push({ method, perQuery: new Map(queries.map((q) => [q.id, scoreRanking(index[q.tenant ?? 'a'].search(q.q, 10).map((r) => r.id), new Set(q.relevant))])) });
  }

  await withEvalDatabase('kb-eval', async (db) => {
    for (const [v, variant] of VARIANTS.entries()) {
      const config = db.config({ EMBEDDINGS_PROVIDER: variant.provider });
      const app = await NestFactory.createApplicationContext(EvalModule.forRoot(config, override), { logger: ['error', 'warn'] });
      try {
        const commands = app.get(CommandBus);
        const queryBus = app.get(QueryBus);
        const embedder = app.get<{ id: string; model: string }>(EMBEDDINGS_PROVIDER);
        const started = Date.now();
        const a = await loadHelpCenter(commands, centers.a, `kb-eval-${v}`);
        const b = await loadHelpCenter(commands, centers.b, `kb-eval-${v}-b`);
        const tenants = { a: a.tenantId, b: b.tenantId };
        log(`${variant.name}: ${articleCount} articles created, published and indexed with ${embedder.id} (${embedder.model}) in ${Date.now() - started} ms`);
        const datasetId = new Map([...a.idOf, ...b.idOf].map(([k, id]) => [id, k]));
        const run = async (label: string, mode: SearchMode, extra: { rerank?: RerankWeights | null; features?: boolean; limit?: number } = {}) => {
          const perQuery = new Map<string, MetricSet>();
          const t0 = Date.now();
          for (const q of queries) {
            const { results }: SearchResults = await queryBus.execute(
              new SearchArticlesQuery({ tenantId: tenants[q.tenant ?? 'a'], q: q.q, audience: 'agent', mode, limit: extra.limit ?? (values.lists ? 40 : 10), rerank: extra.rerank, features: extra.features }),
            );
            const ranked = results.map((r) => datasetId.get(r.articleId) ?? r.articleId);
            perQuery.set(q.id, scoreRanking(ranked, new Set(q.relevant)));
            if (values.lists && v === 0 && !extra.features) lists.push({ id: q.id, kind: q.kind, mode, relevant: q.relevant, ranked });
            if (extra.features) features.push({ id: q.id, kind: q.kind, relevant: q.relevant, candidates: results.map((r) => ({ id: datasetId.get(r.articleId) ?? r.articleId, features: r.features! })) });
          }
          if (!extra.features) rows.push({ method: label, perQuery });
          log(`${label}: ${queries.length} searches in ${Date.now() - t0} ms`);
        };
        for (const mode of MODES) {
          // Full text does not depend on the embedder: report it once.
          if (mode === 'lexical' && v > 0) continue;
          if (mode === 'hybrid') await run(`hybrid, fusion only — ${variant.name}`, mode, { rerank: FUSION_ONLY });
          await run(mode === 'lexical' ? 'lexical (product, full text)' : `${mode} — ${variant.name}`, mode);
        }
        // --features <file>: the rerank's candidates (fused order) with their features, to fit its weights on the tuning half.
        if (values.features && v === 0) await run('features', 'hybrid', { rerank: FUSION_ONLY, features: true, limit: 30 });
        // What a tenant adds: its synonym sets (written from the tuning half's poor searches), through the product's command.
        for (const center of ['a', 'b'] as const) {
          const sets = synonyms[center] ?? [];
          for (const terms of sets) await commands.execute(new SaveSynonymSetCommand({ tenantId: tenants[center], actorId: null, actorType: 'system', correlationId: 'kb-eval' }, null, terms));
        }
        if (v === 0) await run('lexical + tenant synonyms', 'lexical');
        await run(`hybrid + tenant synonyms — ${variant.name}`, 'hybrid');
      } finally {
        await app.close();
      }
    }
  });

  if (values.lists) writeFileSync(values.lists, JSON.stringify(lists));
  if (values.features) writeFileSync(values.features, JSON.stringify(features));
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
  out.push(`kb:eval — ${articleCount} articles in 2 tenants, ${half} half: ${queries.length} of ${all.length} queries${override ? ` (local embedder override: ${JSON.stringify(override)})` : ''}\n`);
  out.push(`All queries of the ${half} half\n`);
  out.push(table(['method', 'recall@5', 'recall@10', 'MRR', 'nDCG@10'], summary.map((s) => [s.method, f(s.all.recall5), f(s.all.recall10), f(s.all.mrr), f(s.all.ndcg10)])));
  out.push('\nnDCG@10 per kind\n');
  out.push(table(['method', 'all', ...KINDS.map((k) => `${k} (${queries.filter((q) => q.kind === k).length})`)], summary.map((s) => [s.method, f(s.all.ndcg10), ...KINDS.map((k) => f(s.byKind[k].ndcg10))])));
  for (const kind of KINDS) {
    out.push(`\n${kind} queries (${queries.filter((q) => q.kind === kind).length})\n`);
    out.push(table(['method', 'recall@5', 'recall@10', 'MRR', 'nDCG@10'], summary.map((s) => [s.method, f(s.byKind[kind].recall5), f(s.byKind[kind].recall10), f(s.byKind[kind].mrr), f(s.byKind[kind].ndcg10)])));
  }
  // The targets (issue #23), checked on the default embedder against the stemmed BM25.
  const get = (method: string) => summary.find((x) => x.method === method)!;
  const hybrid = get('hybrid — local');
  const bm = get('BM25 with stemming (reference, in this script)');
  const delta = (h: number, r: number) => `${h >= r ? '+' : ''}${f(h - r)}`;
  out.push('\nTargets (hybrid with the local embedder, nDCG@10)');
  out.push(`- ≥ 0.88 overall: ${f(hybrid.all.ndcg10)} (${hybrid.all.ndcg10 >= 0.88 ? 'met' : 'not met'})`);
  for (const scope of ['all', ...KINDS] as const) {
    const h = scope === 'all' ? hybrid.all : hybrid.byKind[scope];
    const r = scope === 'all' ? bm.all : bm.byKind[scope];
    out.push(`- ≥ BM25 with stemming + 0.06 on ${scope}: ${f(h.ndcg10)} vs ${f(r.ndcg10)} (${delta(h.ndcg10, r.ndcg10)}, ${h.ndcg10 >= r.ndcg10 + 0.06 ? 'met' : 'not met'})`);
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`kb:eval failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
