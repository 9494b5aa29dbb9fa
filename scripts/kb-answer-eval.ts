import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import { AiGatewayModule } from '../libs/ai-gateway/src';
import { AnswerPipeline } from '../libs/knowledge-base/src/commands/answer-question/answer-pipeline';
import { isStrong, selectPassages, type CandidateChunk } from '../libs/knowledge-base/src/commands/answer-question/passages';
import { splitHalves } from './kb-eval/halves';
import { kbConfig, KnowledgeBaseAnswersModule, KnowledgeBaseModule, type KbConfig } from '../libs/knowledge-base/src';
import { PlatformModule, type AppConfig } from '../libs/platform/src';
import { TenancyModule } from '../libs/tenancy/src';
import { withEvalDatabase } from './kb-eval/eval-database';
import { loadHelpCenter, type EvalArticle } from './kb-eval/help-center';
import { CONTEXTS } from '../apps/contexts';

/**
 * `npm run kb:answer-eval`: where the answer's "weak retrieval" line should be. The kb:eval help
 * center (64 articles) is loaded into a fresh embedded PostgreSQL; for its answerable queries
 * and for questions it cannot answer (bench/kb-eval/unanswerable.json) the answer's own retrieval
 * runs, and for each similarity threshold the table shows how many answerable queries keep a
 * passage of a relevant article and how many unanswerable ones would wrongly get passages (and
 * so a model call). No model is called. --json prints the raw per-question numbers.
 */

const DATASET_DIR = join(__dirname, '..', '..', 'bench', 'kb-eval');
const THRESHOLDS = [0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75];
const COVERAGES = [0, 0.3, 0.4, 0.5, 0.55, 0.6, 0.65, 0.7, 0.8];
const NOT_OURS = ['off-topic', 'other-brand', 'other-domain', 'near-domain'];


@Module({})
class AnswerEvalModule {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: AnswerEvalModule, imports: [PlatformModule.forRoot(config, { http: false, contexts: CONTEXTS }), AiGatewayModule.forRoot(config), TenancyModule, KnowledgeBaseModule, KnowledgeBaseAnswersModule] };
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { json: { type: 'boolean' }, half: { type: 'string' } } });
  const half = (values.half ?? 'report') as 'tuning' | 'report' | 'all';
  if (!['tuning', 'report', 'all'].includes(half)) throw new Error('--half is tuning, report or all');
  const pick = <T extends { id: string; kind: string }>(qs: T[]): T[] => (half === 'all' ? qs : splitHalves(qs)[half]);
  const data = JSON.parse(readFileSync(join(DATASET_DIR, 'articles.json'), 'utf8')) as { articles: EvalArticle[]; products: Record<string, string> };
  // The second tenant's queries (articles-b.json) are not about this help center.
  const answerable = (JSON.parse(readFileSync(join(DATASET_DIR, 'queries.json'), 'utf8')) as { queries: { id: string; kind: string; q: string; relevant: string[]; tenant?: string }[] }).queries.filter((q) => q.tenant === undefined);
  const answerableHalf = pick(answerable);
  const unanswerable = pick((JSON.parse(readFileSync(join(DATASET_DIR, 'unanswerable.json'), 'utf8')) as { questions: { id: string; kind: string; q: string }[] }).questions);
  const log = (message: string) => process.stderr.write(`kb:answer-eval: ${message}\n`);

  await withEvalDatabase('answer-eval', async (db) => {
    // Another embedder is measured by setting its EMBEDDINGS_* variables as for the apps.
    const config = db.config(Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('EMBEDDINGS_'))));
    const app = await NestFactory.createApplicationContext(AnswerEvalModule.forRoot(config), { logger: ['error', 'warn'] });
    try {
      const commands = app.get(CommandBus);
      const pipeline = app.get(AnswerPipeline);
      const { tenantId, idOf } = await loadHelpCenter(commands, data, 'answer-eval');
      log(`${data.articles.length} articles indexed; ${answerable.length} answerable and ${unanswerable.length} unanswerable questions`);
      const datasetId = new Map([...idOf].map(([k, id]) => [id, k]));
      const run = (q: string): Promise<CandidateChunk[]> => pipeline.retrieve(tenantId, q.replace(/\s+/g, ' ').trim(), undefined, 'public');
      // With the product's similarity line: the passages an answer would get, how much of the question
      // they cover (ADR 0063), and whether the first one is of a relevant article.
      const kb = app.get<KbConfig>(kbConfig.token);
      const budget = kb.KB_ANSWER_CONTEXT_TOKENS;
      const given = async (q: string, candidates: CandidateChunk[]) => {
        const passages = selectPassages(candidates, pipeline.minSimilarity, budget);
        const verdict = passages.length ? await pipeline.coverage(tenantId, q.replace(/\s+/g, ' ').trim(), passages, 0) : { coverage: 0, foreign: [], named: [] };
        // A named thing the tenant never wrote declines at any coverage above 0 (ADR 0067): as no coverage at all.
        return { passages, coverage: verdict.named.length > 0 ? -1 : verdict.coverage, foreign: [...verdict.named.map((w) => `${w} (name)`), ...verdict.foreign] };
      };
      const good: { id: string; kind: string; relevant: CandidateChunk[]; other: CandidateChunk[]; passages: number; foreign: string[]; q: string; firstRelevant: boolean; coverage: number }[] = [];
      for (const q of answerableHalf) {
        const candidates = await run(q.q);
        const relevant = candidates.filter((c) => q.relevant.includes(datasetId.get(c.articleId) ?? ''));
        const g = await given(q.q, candidates);
        good.push({ id: q.id, kind: q.kind, relevant, other: candidates.filter((c) => !relevant.includes(c)), passages: g.passages.length, foreign: g.foreign, q: q.q, firstRelevant: g.passages.length > 0 && q.relevant.includes(datasetId.get(g.passages[0]!.articleId) ?? ''), coverage: g.coverage });
      }
      const bad: { id: string; kind: string; q: string; candidates: CandidateChunk[]; passages: number; coverage: number; foreign: string[] }[] = [];
      for (const q of unanswerable) {
        const candidates = await run(q.q);
        const g = await given(q.q, candidates);
        bad.push({ id: q.id, kind: q.kind, q: q.q, candidates, passages: g.passages.length, coverage: g.coverage, foreign: g.foreign });
      }

      const maxSim = (cs: CandidateChunk[]) => Math.max(-1, ...cs.map((c) => c.similarity ?? -1));
      if (values.json) {
        process.stdout.write(
          `${JSON.stringify({ answerable: good.map((g) => ({ id: g.id, kind: g.kind, relevantMaxSimilarity: maxSim(g.relevant), relevantLexical: g.relevant.some((c) => c.lexical) })), unanswerable: bad.map((b) => ({ id: b.id, q: b.q, maxSimilarity: maxSim(b.candidates), lexical: b.candidates.some((c) => c.lexical) })) }, null, 2)}\n`,
        );
        return;
      }
      const pct = (n: number, of: number) => `${((100 * n) / of).toFixed(1)} %`;
      const retrieved = good.filter((g) => g.relevant.length > 0).length;
      const offTopic = bad.filter((b) => b.kind === 'off-topic');
      const lines = [`kb:answer-eval — ${data.articles.length} articles, ${half} half: ${answerableHalf.length} answerable, ${unanswerable.length} unanswerable questions (public audience, embedder ${config.EMBEDDINGS_PROVIDER})\n`];
      lines.push(`A relevant article is among the search's top 5 for ${retrieved} of ${answerableHalf.length} answerable queries (${pct(retrieved, good.length)}): the most any threshold can keep.\n`);
      lines.push(`Coverage of the question's rare words by the passages (min similarity ${pipeline.minSimilarity}; product default KB_ANSWER_MIN_COVERAGE ${kb.KB_ANSWER_MIN_COVERAGE}). "answered" = passages given and covered (above 0.00, also no name the tenant never wrote: ADR 0067); first passage relevant among the answered answerable queries.\n`);
      lines.push(`| min coverage | answerable answered | first passage relevant | ${NOT_OURS.map((k) => `${k} answered`).join(' | ')} | all not-ours answered |`);
      lines.push(`|---:|---:|---:|${NOT_OURS.map(() => '---:').join('|')}|---:|`);
      for (const c of COVERAGES) {
        const answered = good.filter((g) => g.passages > 0 && (c === 0 || g.coverage >= c));
        const wrong = (bs: typeof bad) => bs.filter((b) => b.passages > 0 && (c === 0 || b.coverage >= c)).length;
        lines.push(
          `| ${c.toFixed(2)} | ${pct(answered.length, good.length)} | ${answered.length ? (answered.filter((g) => g.firstRelevant).length / answered.length).toFixed(3) : '—'} | ${NOT_OURS.map((k) => `${wrong(bad.filter((b) => b.kind === k))} of ${bad.filter((b) => b.kind === k).length}`).join(' | ')} | ${pct(wrong(bad), bad.length)} |`,
        );
      }
      const declined = good.filter((g) => g.passages > 0 && g.firstRelevant && g.coverage < kb.KB_ANSWER_MIN_COVERAGE).sort((a, b) => a.coverage - b.coverage);
      lines.push(`\nAnswerable queries with a relevant first passage that the default coverage declines (${declined.length}):`);
      for (const g of declined) lines.push(`- ${g.coverage.toFixed(2)}  ${g.id} (${g.kind}) "${g.q}"${g.foreign.length ? ` — never written: ${g.foreign.join(', ')}` : ''}`);
      const passed = bad.filter((b) => b.passages > 0 && b.coverage >= kb.KB_ANSWER_MIN_COVERAGE);
      lines.push(`\nNot-ours questions the default coverage still answers (${passed.length}):`);
      for (const b of passed) lines.push(`- ${b.coverage.toFixed(2)}  ${b.id} (${b.kind}) "${b.q}"${b.foreign.length ? ` — never written: ${b.foreign.join(', ')}` : ''}`);
      lines.push('\nSimilarity alone (before the coverage check), all kinds:\n');
      lines.push('| min similarity | answerable with a relevant passage | keyword | paraphrase | typo | off-topic given passages | other not-ours given passages |');
      lines.push('|---:|---:|---:|---:|---:|---:|---:|');
      for (const t of THRESHOLDS) {
        const kept = (gs: typeof good) => gs.filter((g) => g.relevant.some((c) => isStrong(c, t))).length;
        const byKind = (k: string) => good.filter((g) => g.kind === k);
        const given = (bs: typeof bad) => `${bs.filter((b) => b.candidates.some((c) => isStrong(c, t))).length} of ${bs.length}`;
        lines.push(`| ${t.toFixed(2)} | ${pct(kept(good), good.length)} | ${pct(kept(byKind('keyword')), byKind('keyword').length)} | ${pct(kept(byKind('paraphrase')), byKind('paraphrase').length)} | ${pct(kept(byKind('typo')), byKind('typo').length)} | ${given(offTopic)} | ${given(bad.filter((b) => b.kind !== 'off-topic'))} |`);
      }
      const lexicalOnly = bad.filter((b) => b.candidates.some((c) => c.lexical));
      lines.push(`\nUnanswerable questions with a full-text match of every word (strong at any threshold): ${lexicalOnly.length}${lexicalOnly.length ? ` — ${lexicalOnly.map((b) => `"${b.q}"`).join(', ')}` : ''}`);
      lines.push('\nBest passage similarity of the unanswerable questions, highest first:');
      for (const b of [...bad].sort((x, y) => maxSim(y.candidates) - maxSim(x.candidates)).slice(0, 8)) lines.push(`- ${maxSim(b.candidates).toFixed(3)}  ${b.q}`);
      const weakest = [...good].sort((x, y) => maxSim(x.relevant) - maxSim(y.relevant)).slice(0, 5);
      lines.push('\nAnswerable queries whose relevant passages are least similar:');
      for (const g of weakest) lines.push(`- ${maxSim(g.relevant).toFixed(3)}  ${g.id} (${g.kind}) "${answerable.find((q) => q.id === g.id)!.q}"${g.relevant.some((c) => c.lexical) ? ' (full-text match)' : ''}`);
      process.stdout.write(`${lines.join('\n')}\n`);
    } finally {
      await app.close();
    }
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`kb:answer-eval failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
