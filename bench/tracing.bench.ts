import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Benchmark } from './support/benchmark';
import { startBenchApi } from './support/api-process';
import { startMigratedDatabase } from './support/database';
import { waitUntilServing } from './support/node-process';
import { percentileOf } from './support/statement-timing';
import { renderTable } from './support/table';

const HOST = '127.0.0.1';
const PASSWORD = 'bench password 0123456789';
const ROUNDS = 400;
const WARMUP_ROUNDS = 30;

/**
 * A collector's OTLP/HTTP endpoint that takes every batch and keeps nothing: the exporter's cost
 * is all in the api (building spans, encoding and posting batches), none in what receives them.
 */
async function startSink(): Promise<{ url: string; batches: () => number; close: () => Promise<void> }> {
  let batches = 0;
  const server = createServer((req, res) => {
    let bytes = 0;
    req.on('data', (c: Buffer) => (bytes += c.length));
    req.on('end', () => {
      // Counted only to show that the exporter really sent.
      if (bytes > 0) batches++;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  return { url: `http://${HOST}:${(server.address() as AddressInfo).port}`, batches: () => batches, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/**
 * Request latency with tracing off (OTEL_TRACES_EXPORTER=none: the SDK is not loaded) and on
 * (otlp, every request sampled, spans batched to a local sink), through two real api processes on
 * one database, requests interleaved round-robin so that machine noise falls on both alike.
 * Two requests: reading a ticket, and creating one (a transaction with its outbox row, which then
 * carries the trace context).
 */
export const tracingBenchmark: Benchmark = {
  name: 'tracing',
  description: 'request latency with tracing off (none) vs on (OTLP/HTTP to a local sink): p50 ratio, through two apis',
  async run({ cleanup, signal, log }) {
    const database = await startMigratedDatabase(cleanup, signal, { log });
    const sink = await startSink();
    cleanup.add('stop the OTLP sink', sink.close);
    const runId = randomBytes(4).toString('hex');
    const adminKey = randomBytes(24).toString('base64url');
    const workDir = await mkdtemp(join(tmpdir(), 'switchboard-bench-tracing-'));
    cleanup.add('remove work dir', () => rm(workDir, { recursive: true, force: true }));
    const env = { RATE_LIMIT_TENANT_PER_MINUTE: '1000000', RATE_LIMIT_AUTH_PER_MINUTE: '100000', RATE_LIMIT_IP_PER_MINUTE: '1000000', DATA_DIR: workDir };
    const start = async (label: string, tracing: Record<string, string>) => {
      const dir = join(workDir, label);
      await mkdir(dir);
      const api = await startBenchApi({ host: HOST, databaseUrl: database.url, workDir: dir, runId, adminKey, cleanup, env: { ...env, ...tracing } });
      await waitUntilServing(`${api.url}/v1/health/live`, api.process, { timeoutMs: 90_000, signal });
      return { label, url: api.url };
    };
    const apis = [await start('none', { OTEL_TRACES_EXPORTER: 'none' }), await start('otlp', { OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_ENDPOINT: sink.url, OTEL_BSP_SCHEDULE_DELAY: '1000' })];

    const post = async (url: string, headers: Record<string, string>, body: unknown) => {
      const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
      if (res.status >= 300) throw new Error(`POST ${url}: ${res.status} ${await res.text()}`);
      return res.json() as Promise<Record<string, any>>;
    };
    const slug = `tracing-${runId}`;
    await post(`${apis[0]!.url}/v1/admin/tenants`, { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' }, { name: 'Tracing', slug, owner: { email: `owner@${slug}.test`, name: 'Owner', password: PASSWORD } });
    const { accessToken } = await post(`${apis[0]!.url}/v1/auth/login`, { 'content-type': 'application/json' }, { email: `owner@${slug}.test`, password: PASSWORD });
    const headers = { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' };
    const ticket = await post(`${apis[0]!.url}/v1/tickets`, headers, { subject: 'Read me', requester: { email: `r@${slug}.test` } });

    const kinds = [
      { name: 'GET /v1/tickets/{id}', send: (base: string) => fetch(`${base}/v1/tickets/${ticket.id}`, { headers }), status: 200 },
      { name: 'POST /v1/tickets', send: (base: string) => fetch(`${base}/v1/tickets`, { method: 'POST', headers, body: JSON.stringify({ subject: 'Traced or not', requester: { email: `r@${slug}.test` } }) }), status: 201 },
    ];
    const times = new Map<string, number[]>();
    log(`${ROUNDS} rounds after ${WARMUP_ROUNDS} warm-up: each request kind once per api per round, interleaved…`);
    for (let i = -WARMUP_ROUNDS; i < ROUNDS && !signal.aborted; i++) {
      for (const kind of kinds) {
        for (const api of i % 2 === 0 ? apis : [...apis].reverse()) {
          const t0 = performance.now();
          const res = await kind.send(api.url);
          await res.arrayBuffer();
          if (res.status !== kind.status) throw new Error(`${kind.name} on ${api.label}: ${res.status}`);
          const key = `${kind.name}|${api.label}`;
          if (!times.has(key)) times.set(key, []);
          if (i >= 0) times.get(key)!.push(performance.now() - t0);
        }
      }
    }
    // Let the last batch go out, so the sink's count covers the run.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const ms = (v: number) => `${v.toFixed(2)} ms`;
    const rows = kinds.map((kind) => {
      const off = times.get(`${kind.name}|none`)!;
      const on = times.get(`${kind.name}|otlp`)!;
      const [offP50, onP50] = [percentileOf(off, 50), percentileOf(on, 50)];
      return [kind.name, ms(offP50), ms(percentileOf(off, 95)), ms(onP50), ms(percentileOf(on, 95)), `${(onP50 / offP50).toFixed(2)}×`];
    });
    log(renderTable(['request', 'none p50', 'none p95', 'otlp p50', 'otlp p95', 'p50 ratio otlp/none'], rows));
    log(`${ROUNDS} of each per api, sequential, interleaved; ${sink.batches()} span batches received by the sink; ${new Date().toISOString().slice(0, 10)}`);
  },
};
