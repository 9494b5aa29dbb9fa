import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import type { Benchmark } from './support/benchmark';
import { startBenchApi } from './support/api-process';
import { startMigratedDatabase } from './support/database';
import { waitUntilServing } from './support/node-process';
import { fixed, renderTable } from './support/table';
import { FakeLlmServer } from '../test/support/fake-llm/fake-llm-server';

const HOST = '127.0.0.1';
const PASSWORD = 'bench password 0123456789';
/** Calls per side measured just after start (the figures before this bench warmed up properly). */
const COLD_CALLS = 400;
/** Pairs discarded before the warm figures: V8 needs about a thousand calls to optimise the path. */
const WARMUP_PAIRS = 1000;
const CALLS = 1000;
const TARGET_P50_MS = 5;
const TARGET_P99_MS = 20;

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};

/**
 * The gateway's added latency: the same OpenAI SDK calls a loopback fake provider directly, and
 * the api's `POST /v1/ai/completions` calls the same fake through auth, settings, budget check,
 * routing, resilience and metering (one usage row + outbox event). Plain calls: full latency;
 * streaming: time to first delta. Calls run one at a time, alternating, so both sides see the
 * same machine load; overhead = api percentile − direct percentile. Each kind is measured twice:
 * just after start (50 warm-up pairs, then 400) and warm (after 1 000 more pairs, then 1 000) —
 * the target is about the running gateway, the cold figures show what a fresh process costs.
 */
export const aiBenchmark: Benchmark = {
  name: 'ai',
  description: 'AI gateway overhead over calling a fake provider directly with the same SDK (plain and streaming TTFT)',
  async run({ cleanup, signal, log }) {
    const runId = randomBytes(4).toString('hex');
    const adminKey = randomBytes(24).toString('base64url');
    const workDir = await mkdtemp(join(tmpdir(), 'switchboard-bench-ai-'));
    cleanup.add('remove work dir', () => rm(workDir, { recursive: true, force: true }));
    const fake = await new FakeLlmServer().start();
    cleanup.add('stop fake provider', () => fake.stop());
    const database = await startMigratedDatabase(cleanup, signal, { log });
    const api = await startBenchApi({
      host: HOST,
      databaseUrl: database.url,
      workDir,
      runId,
      adminKey,
      cleanup,
      env: { RATE_LIMIT_TENANT_PER_MINUTE: '1000000', RATE_LIMIT_AUTH_PER_MINUTE: '100000', DATA_DIR: workDir, AI_ALLOW_PRIVATE_BASE_URLS: 'true' },
    });
    await waitUntilServing(`${api.url}/v1/health/live`, api.process, { timeoutMs: 60_000, signal });

    const admin = { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' };
    await fetch(`${api.url}/v1/admin/tenants`, { method: 'POST', headers: admin, body: JSON.stringify({ name: 'ai', slug: `ai-${runId}`, owner: { email: `owner@ai-${runId}.test`, name: 'Owner', password: PASSWORD } }) });
    const { accessToken } = (await (await fetch(`${api.url}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: `owner@ai-${runId}.test`, password: PASSWORD }) })).json()) as { accessToken: string };
    const auth = { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' };
    const put = async (path: string, body: unknown) => {
      const res = await fetch(`${api.url}${path}`, { method: 'PUT', headers: auth, body: JSON.stringify(body) });
      if (!res.ok) throw new Error(`PUT ${path} → ${res.status}: ${await res.text()}`);
    };
    await put('/v1/ai/providers/oa', { kind: 'openai', apiKey: 'sk-bench', baseUrl: fake.baseUrl('openai'), defaultModel: 'gpt-4o-mini' });
    await put('/v1/ai/settings', { defaultProvider: 'oa' });

    const sdk = new OpenAI({ apiKey: 'sk-bench', baseURL: fake.baseUrl('openai'), maxRetries: 0 });
    const messages = [{ role: 'user' as const, content: 'What pressure should my boiler have?' }];
    const body = JSON.stringify({ messages });
    const streamBody = JSON.stringify({ messages, stream: true });

    const direct = async () => {
      const t = performance.now();
      await sdk.chat.completions.create({ model: 'gpt-4o-mini', messages });
      return performance.now() - t;
    };
    const viaApi = async () => {
      const t = performance.now();
      const res = await fetch(`${api.url}/v1/ai/completions`, { method: 'POST', headers: auth, body });
      await res.text();
      if (res.status !== 200) throw new Error(`api answered ${res.status}`);
      return performance.now() - t;
    };
    const directTtft = async () => {
      const t = performance.now();
      const stream = await sdk.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true });
      let first = 0;
      for await (const chunk of stream) if (!first && chunk.choices[0]?.delta?.content) first = performance.now() - t;
      return first;
    };
    const apiTtft = async () => {
      const t = performance.now();
      const res = await fetch(`${api.url}/v1/ai/completions`, { method: 'POST', headers: auth, body: streamBody });
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      let text = '';
      let first = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
        if (!first && text.includes('event: delta')) first = performance.now() - t;
      }
      return first;
    };

    const alternate = async (pairs: number, a: () => Promise<number>, b: () => Promise<number>) => {
      const xs: number[] = [];
      const ys: number[] = [];
      for (let i = 0; i < pairs && !signal.aborted; i++) {
        xs.push(await a());
        ys.push(await b());
      }
      return { direct: xs, api: ys };
    };
    const measure = async (label: string, a: () => Promise<number>, b: () => Promise<number>) => {
      log(`${label}: 50 warm-up pairs, ${COLD_CALLS} measured (cold), ${WARMUP_PAIRS} more warm-up pairs, ${CALLS} measured (warm)…`);
      await alternate(50, a, b);
      const cold = await alternate(COLD_CALLS, a, b);
      await alternate(WARMUP_PAIRS, a, b);
      return { cold, warm: await alternate(CALLS, a, b) };
    };
    const plain = await measure('plain', direct, viaApi);
    const streaming = await measure('streaming', directTtft, apiTtft);

    const row = (label: string, values: number[]) => [label, fixed(percentile(values, 50), 2), fixed(percentile(values, 99), 2)];
    for (const state of ['cold', 'warm'] as const) {
      log('');
      log(state === 'cold' ? `cold: calls 51–${50 + COLD_CALLS} of each kind (plain ones are a fresh process's first calls; streaming ones follow all the plain calls)` : `warm: after ${50 + COLD_CALLS + WARMUP_PAIRS} calls of each kind`);
      log(
        renderTable(
          ['target', 'p50 ms', 'p99 ms'],
          [
            row('direct SDK → fake (plain)', plain[state].direct),
            row('api /v1/ai/completions (plain)', plain[state].api),
            row('direct SDK → fake (TTFT)', streaming[state].direct),
            row('api SSE (TTFT)', streaming[state].api),
          ],
        ),
      );
      for (const [label, r] of [['plain', plain[state]], ['streaming TTFT', streaming[state]]] as const) {
        const p50 = percentile(r.api, 50) - percentile(r.direct, 50);
        const p99 = percentile(r.api, 99) - percentile(r.direct, 99);
        const verdict = (value: number, target: number) => (state === 'cold' ? '' : value < target ? ' OK' : ' ABOVE TARGET');
        log(`${state} ${label}: overhead p50 ${fixed(p50, 2)} ms (target < ${TARGET_P50_MS})${verdict(p50, TARGET_P50_MS)}; p99 ${fixed(p99, 2)} ms (target < ${TARGET_P99_MS})${verdict(p99, TARGET_P99_MS)}`);
      }
    }
  },
};
