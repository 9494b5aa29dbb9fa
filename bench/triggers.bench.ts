import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
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
export const TRIGGERS = 50;
const UPDATES = 400;

export interface TriggerOverhead {
  /** Milliseconds per `PATCH /v1/tickets/{id}` (one priority change), by tenant set-up. */
  none: { p50: number; p95: number };
  /** 50 active triggers, none matching the update (17 evaluated in full against the ticket). */
  evaluated: { p50: number; p95: number };
  /** The same 50, two of which fire on every update (a tag and the ticket type, history and audit written). */
  firing: { p50: number; p95: number };
  /** p50 added over no triggers. */
  addedP50: { evaluated: number; firing: number };
  updates: number;
}

/**
 * Conditions a help desk writes: on the update, then on fields, tags and custom fields; none holds
 * for a priority change between normal and high. A third react to any priority change, so the
 * ticket is read and their field, tag and custom field conditions are evaluated in full on every
 * update; the others are ruled out by the change alone.
 */
const idleTrigger = (i: number) => ({
  name: `Idle ${i}`,
  position: i,
  conditions: {
    all: [i % 3 === 0 ? { type: 'changed', field: 'priority' } : i % 3 === 1 ? { type: 'changed', field: 'status', from: 'pending', to: 'open' } : { type: 'message_added', by: 'requester', visibility: 'public' }],
    any: [{ type: 'tags', op: 'include_any', tags: [`vip${i}`] }, { type: 'field', field: 'channel', op: 'is', value: 'email' }, { type: 'custom_field', key: `plan_${i}`, op: 'present' }],
  },
  actions: [{ type: 'add_tags', tags: [`idle${i}`] }],
});
const firingTriggers = [
  { name: 'Tag changes', position: 100, conditions: { all: [{ type: 'changed', field: 'priority' }] }, actions: [{ type: 'add_tags', tags: ['touched'] }] },
  { name: 'High is an incident', position: 101, conditions: { all: [{ type: 'changed', field: 'priority' }] }, actions: [{ type: 'set_type', value: 'incident' }] },
];

/**
 * Trigger evaluation overhead per ticket update, measured through a running api: three tenants —
 * no triggers, 50 triggers none of which match, the same 50 plus 2 that fire — each updating its
 * own ticket's priority, interleaved round-robin so that machine noise falls on all three alike.
 * Exported so that other benchmarks (sla) can run it against their own api.
 */
export async function measureTriggerOverhead(options: { apiUrl: string; adminKey: string; runId: string; updates?: number; log?: (line: string) => void }): Promise<TriggerOverhead> {
  const { apiUrl, adminKey, runId } = options;
  const updates = options.updates ?? UPDATES;
  const post = async (path: string, headers: Record<string, string>, body: unknown) => {
    const res = await fetch(`${apiUrl}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
    if (res.status >= 300) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<Record<string, any>>;
  };
  const tenant = async (label: string, triggers: unknown[]) => {
    const slug = `${label}-${runId}`;
    await post('/v1/admin/tenants', { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' }, { name: label, slug, owner: { email: `owner@${slug}.test`, name: 'Owner', password: PASSWORD } });
    const { accessToken } = await post('/v1/auth/login', { 'content-type': 'application/json' }, { email: `owner@${slug}.test`, password: PASSWORD });
    const headers = { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' };
    for (const t of triggers) await post('/v1/triggers', headers, t);
    const ticket = await post('/v1/tickets', headers, { subject: 'Bench ticket', requester: { email: `r@${slug}.test` } });
    return { label, headers: { ...headers, 'if-match': '*' }, url: `${apiUrl}/v1/tickets/${ticket.id}`, times: [] as number[] };
  };
  const idle = Array.from({ length: TRIGGERS }, (_, i) => idleTrigger(i));
  const tenants = [await tenant('triggers-none', []), await tenant('triggers-evaluated', idle), await tenant('triggers-firing', [...idle.slice(0, TRIGGERS - 2), ...firingTriggers])];
  options.log?.(`${updates} updates per tenant, interleaved…`);
  for (let i = -20; i < updates; i++) {
    for (const t of tenants) {
      const t0 = performance.now();
      const res = await fetch(t.url, { method: 'PATCH', headers: t.headers, body: JSON.stringify({ priority: i % 2 === 0 ? 'high' : 'normal' }) });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`PATCH ${t.label}: ${res.status}`);
      if (i >= 0) t.times.push(performance.now() - t0); // the first 20 rounds warm up
    }
  }
  const stats = (times: number[]) => ({ p50: percentileOf(times, 50), p95: percentileOf(times, 95) });
  const [none, evaluated, firing] = tenants.map((t) => stats(t.times)) as [TriggerOverhead['none'], TriggerOverhead['none'], TriggerOverhead['none']];
  return { none, evaluated, firing, addedP50: { evaluated: evaluated.p50 - none.p50, firing: firing.p50 - none.p50 }, updates };
}

/** Starts an api on `databaseUrl`, measures, and prints the table (the `triggers` bench, and the second part of `sla`). */
export async function runTriggerOverhead({ cleanup, signal, log, databaseUrl }: Pick<Parameters<Benchmark['run']>[0], 'cleanup' | 'signal' | 'log'> & { databaseUrl: string }): Promise<TriggerOverhead> {
  const runId = randomBytes(4).toString('hex');
  const adminKey = randomBytes(24).toString('base64url');
  const workDir = await mkdtemp(join(tmpdir(), 'switchboard-bench-triggers-'));
  cleanup.add('remove work dir', () => rm(workDir, { recursive: true, force: true }));
  const api = await startBenchApi({ host: HOST, databaseUrl, workDir, runId, adminKey, cleanup, env: { RATE_LIMIT_TENANT_PER_MINUTE: '1000000', RATE_LIMIT_AUTH_PER_MINUTE: '100000', DATA_DIR: workDir } });
  await waitUntilServing(`${api.url}/v1/health/live`, api.process, { timeoutMs: 60_000, signal });
  const r = await measureTriggerOverhead({ apiUrl: api.url, adminKey, runId, log });
  const ms = (v: number) => `${v.toFixed(2)} ms`;
  log(
    renderTable(
      ['tenant', 'p50', 'p95', 'p50 added'],
      [
        ['no triggers', ms(r.none.p50), ms(r.none.p95), '—'],
        [`${TRIGGERS} triggers, none match`, ms(r.evaluated.p50), ms(r.evaluated.p95), ms(r.addedP50.evaluated)],
        [`${TRIGGERS} triggers, 2 fire`, ms(r.firing.p50), ms(r.firing.p95), ms(r.addedP50.firing)],
      ],
    ),
  );
  log(`${r.updates} PATCH /v1/tickets/{id} per tenant, sequential, interleaved; ${new Date().toISOString().slice(0, 10)}`);
  return r;
}

export const triggersBenchmark: Benchmark = {
  name: 'triggers',
  description: 'trigger evaluation overhead per ticket update with 50 active triggers (p50 added over none), through the api',
  async run({ cleanup, signal, log }) {
    const database = await startMigratedDatabase(cleanup, signal, { log });
    await runTriggerOverhead({ cleanup, signal, log, databaseUrl: database.url });
  },
};
