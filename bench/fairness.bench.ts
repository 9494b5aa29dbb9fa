import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fork, type ChildProcess } from 'node:child_process';
import autocannon from 'autocannon';
import type { Benchmark } from './support/benchmark';
import type { Cleanup } from './support/cleanup';
import { startMigratedDatabase } from './support/database';
import { startBenchApi } from './support/api-process';
import type { HammerCounts, HammerSpec } from './support/hammer-process';
import { waitUntilServing } from './support/node-process';
import { cpuSeconds } from './support/process-cpu';
import { fixed, renderTable } from './support/table';

/** The quiet tenant's p99 under the hammering, as a multiple of its p99 alone. */
const TARGET_RATIO = 2;
const HOST = '127.0.0.1';
const PASSWORD = 'bench password 0123456789';
const START_TIMEOUT_MS = 60_000;
const HAMMERING_TENANTS = 20;
/** Each hammering tenant's API key: the budget it hammers past. */
const KEY_LIMIT_PER_MINUTE = 150;
/** Every tenant's own budget: the quiet tenant uses half of it. */
const TENANT_LIMIT_PER_MINUTE = 600;
const HAMMER_RATE_PER_TENANT = 100;
const HAMMER_CONNECTIONS_PER_TENANT = 2;
const QUIET_RATE = 5;
/**
 * Hammering before the quiet tenant is measured, at least; then until the hammering tenants'
 * admitted rate is back near the sum of their limits (their keys' buckets refill while paused).
 */
const HAMMER_WARMUP_S = 5;
const STEADY_TIMEOUT_S = 40;
/** Requests per second per key in the "at their limits" phase: 120/min, under the 150/min budget. */
const AT_LIMIT_RATE_PER_TENANT = 2;
/** Alone / beside the hammering, alternating, so that drifts in the machine's load hit both. */
const ROUNDS = 3;
/**
 * The hammering clients would be other machines; here they share the 2 cores with the api, the
 * database and the quiet client, so their process runs at the lowest priority (nice 19) and takes
 * what is left. `BENCH_HAMMER_NICE=0` runs it at normal priority.
 */
const HAMMER_NICE = Number(process.env.BENCH_HAMMER_NICE ?? 19);
const ROUTE = '/v1/tickets?limit=1';

interface QuietResult {
  latencies: number[];
  statuses: Record<number, number>;
  errors: number;
}

/**
 * Noisy neighbours: 20 tenants hammer an authenticated, tenant-scoped read with API keys limited to
 * 150/min, each offered 100 req/s on 2 keep-alive connections (40 × its limit) from a process
 * of its own (at nice 19: those clients stand in for other machines); a quiet tenant (a signed-in user, well under its own budget) reads the same route at
 * 5 req/s, open loop, from the bench's main thread. Its latency is measured alone, then beside the
 * hammering, in alternating rounds of the same run against the same api (the hammering process is
 * paused with SIGSTOP between rounds); the verdict is the ratio of the pooled p99s.
 * Also: what the api spends per refused and per admitted request (CPU of its process, with its
 * idle spending taken out).
 */
export const fairnessBenchmark: Benchmark = {
  name: 'fairness',
  description: 'a quiet tenant at 5 req/s alone vs beside 20 tenants hammering 40x past their rate limits (p99 ratio, CPU per refusal)',
  async run(context) {
    const { options, cleanup, signal, log } = context;
    const phaseSeconds = options.durationSeconds * 2;
    const runId = randomBytes(4).toString('hex');
    const adminKey = randomBytes(24).toString('base64url');
    const workDir = await mkdtemp(join(tmpdir(), 'switchboard-bench-fairness-'));
    cleanup.add('remove work dir', () => rm(workDir, { recursive: true, force: true }));

    log('starting embedded PostgreSQL and migrating…');
    const database = await startMigratedDatabase(cleanup, signal);
    log('starting the api…');
    const api = await startBenchApi({
      host: HOST,
      databaseUrl: database.url,
      workDir,
      runId,
      adminKey,
      cleanup,
      env: {
        RATE_LIMIT_TENANT_PER_MINUTE: String(TENANT_LIMIT_PER_MINUTE),
        RATE_LIMIT_API_KEY_PER_MINUTE: String(KEY_LIMIT_PER_MINUTE),
        RATE_LIMIT_AUTH_PER_MINUTE: '100000',
      },
    });
    await waitUntilServing(`${api.url}/v1/health/live`, api.process, { timeoutMs: START_TIMEOUT_MS, signal });
    const pid = api.process.pid;

    log(`creating ${HAMMERING_TENANTS + 1} tenants through the api…`);
    const quiet = await seedTenant(api.url, adminKey, `quiet-${runId}`);
    const noisy: { token: string; key: string }[] = [];
    for (let i = 0; i < HAMMERING_TENANTS; i++) noisy.push(await seedTenant(api.url, adminKey, `noisy${i}-${runId}`));

    // The api's own spending with nothing to do (timers, bucket syncs), taken out of every CPU figure below.
    await sleep(1_000);
    const idle = await cpuOver(pid, 4_000);
    const idleCpuPerSecond = idle.cpu / idle.seconds;

    log('calibrating: admitted requests (signed-in users of the 20 tenants, all within budget)…');
    let turn = 0;
    const tokens = noisy.map((n) => n.token);
    const admitted = await cpuOf(pid, () =>
      loadOnce(
        {
          url: api.url + ROUTE,
          connections: 4,
          overallRate: 150,
          duration: 6,
          requests: [{ setupRequest: (req: Record<string, unknown>) => ({ ...req, headers: { authorization: `Bearer ${tokens[turn++ % tokens.length]}` } }) }],
        },
        signal,
      ),
    );

    const quietAgent = new Agent({ keepAlive: true, maxSockets: 4 });
    cleanup.add('close the quiet client', () => quietAgent.destroy());
    const quietGet = (requestId: string) => timedGet(api.url + ROUTE, quiet.token, quietAgent, requestId);
    for (let i = 0; i < 20; i++) await quietGet(`warm-${i}`); // connections and JIT

    const spec: HammerSpec = {
      url: api.url + ROUTE,
      credentials: noisy.map((n) => n.key),
      connectionsPerTenant: HAMMER_CONNECTIONS_PER_TENANT,
      ratePerTenant: HAMMER_RATE_PER_TENANT,
      nice: HAMMER_NICE,
    };
    const hammer = loadProcess(spec, cleanup);
    // The same tenants, the same keys, just under their limits: what their admitted work alone does to the quiet tenant.
    const atLimits = loadProcess({ ...spec, connectionsPerTenant: 1, ratePerTenant: AT_LIMIT_RATE_PER_TENANT }, cleanup);

    const alone: QuietResult = { latencies: [], statuses: {}, errors: 0 };
    const limited: QuietResult = { latencies: [], statuses: {}, errors: 0 };
    const loaded: QuietResult = { latencies: [], statuses: {}, errors: 0 };
    const rounds: { aloneP99: number; limitP99: number; loadedP99: number; loadBefore: string; loadAfter: string }[] = [];
    let aloneCpuSeconds = 0;
    let loadedCpuSeconds = 0;
    let hammerSeconds = 0;
    let limitSeconds = 0;
    let shed = 0;
    const hammerStatuses: Record<number, number> = {};
    const limitStatuses: Record<number, number> = {};
    let hammerErrors = 0;
    const settleSeconds: number[] = [];
    const addStatuses = (into: Record<number, number>, before: HammerCounts, after: HammerCounts) => {
      for (const [status, n] of Object.entries(after.statuses)) into[Number(status)] = (into[Number(status)] ?? 0) + n - (before.statuses[Number(status)] ?? 0);
    };
    log(
      `${ROUNDS} rounds of: the quiet tenant (${QUIET_RATE} req/s, ${phaseSeconds} s) alone; beside the ${HAMMERING_TENANTS} tenants' keys at ` +
        `${AT_LIMIT_RATE_PER_TENANT} req/s each (under their limit); beside the hammering (${HAMMER_CONNECTIONS_PER_TENANT} keep-alive connections × ` +
        `${HAMMER_RATE_PER_TENANT} req/s offered per key, API key limit ${KEY_LIMIT_PER_MINUTE}/min, measured once its admitted rate is steady). ` +
        `Load generators: processes of their own at nice ${HAMMER_NICE}, paused (SIGSTOP) when not in use`,
    );
    for (let round = 0; round < ROUNDS; round++) {
      const loadBefore = loadavgLine();
      log(`  round ${round + 1}/${ROUNDS}: alone…`);
      let cpu = cpuSeconds(pid);
      const a = await quietPhase(quietGet, `quiet-alone-${round}`, phaseSeconds, signal);
      aloneCpuSeconds += cpuSeconds(pid) - cpu;
      merge(alone, a);

      log(`  round ${round + 1}/${ROUNDS}: beside the tenants at their limits…`);
      atLimits.resume();
      await sleep(3_000, undefined, { signal });
      let before = await atLimits.snapshot();
      const m = await quietPhase(quietGet, `quiet-limit-${round}`, phaseSeconds, signal);
      let after = await atLimits.snapshot();
      atLimits.pause();
      merge(limited, m);
      limitSeconds += (after.at - before.at) / 1000;
      addStatuses(limitStatuses, before, after);
      await sleep(1_000, undefined, { signal });

      log(`  round ${round + 1}/${ROUNDS}: hammering until steady, then measuring beside it…`);
      hammer.resume();
      // Steady state: the keys' buckets refilled while the hammering was paused, and that burst is let through first.
      await sleep(HAMMER_WARMUP_S * 1000, undefined, { signal });
      settleSeconds.push(HAMMER_WARMUP_S + (await untilSteady(hammer.snapshot, HAMMERING_TENANTS * (KEY_LIMIT_PER_MINUTE / 60) * 1.5, signal)));
      const shedBefore = await shedCount(api.url);
      before = await hammer.snapshot();
      cpu = cpuSeconds(pid);
      const l = await quietPhase(quietGet, `quiet-loaded-${round}`, phaseSeconds, signal);
      loadedCpuSeconds += cpuSeconds(pid) - cpu;
      after = await hammer.snapshot();
      shed += (await shedCount(api.url)) - shedBefore;
      hammer.pause();
      merge(loaded, l);
      hammerSeconds += (after.at - before.at) / 1000;
      addStatuses(hammerStatuses, before, after);
      hammerErrors += after.errors - before.errors;
      rounds.push({ aloneP99: summarize(a).p99, limitP99: summarize(m).p99, loadedP99: summarize(l).p99, loadBefore, loadAfter: loadavgLine() });
      // Answers to what was in flight when it stopped; the next alone phase starts on a quiet api.
      await sleep(2_000, undefined, { signal });
    }
    await Promise.all([hammer.stop(), atLimits.stop()]);

    log('calibrating: refused requests (one hammering key, flat out, 10 connections)…');
    const refused = await cpuOf(pid, () => loadOnce({ url: api.url + ROUTE, connections: 10, duration: 6, headers: { authorization: `Bearer ${noisy[0]!.key}` } }, signal));

    // The api's own view of the quiet requests: its log line's responseTime (from its first middleware to the answer).
    await sleep(1_000, undefined, { signal });
    const inside = await insideApi(api.logPath);

    if (api.process.hasExited()) throw new Error(`the api exited during the run (${await api.process.exited})\n${api.process.stderrTail()}`);

    // ---- report ----
    const answered = Object.values(hammerStatuses).reduce((n, c) => n + c, 0);
    const hammer429 = hammerStatuses[429] ?? 0;
    const hammer200 = hammerStatuses[200] ?? 0;
    const otherStatuses = answered - hammer429 - hammer200;
    const usPer = (cpu: number, seconds: number, n: number) => ((cpu - idleCpuPerSecond * seconds) * 1e6) / n;
    const admittedUs = usPer(admitted.cpu, admitted.seconds, admitted.result.responses);
    const refusedUs = usPer(refused.cpu, refused.seconds, refused.result.responses);
    // What the hammering added to the api's CPU, per hammering answer (refusals and admitted requests together).
    const perHammerAnswerUs = ((loadedCpuSeconds - aloneCpuSeconds) * 1e6) / answered;

    const a = summarize(alone);
    const l = summarize(loaded);
    const m = summarize(limited);
    const ratio = l.p99 / a.p99;
    log('');
    log(`fairness — ${cpus().length} cores, node ${process.version}, route GET ${ROUTE} (authenticated, one tenant transaction), embedded PostgreSQL`);
    log(
      `hammering: ${HAMMERING_TENANTS} tenants, each an API key limited to ${KEY_LIMIT_PER_MINUTE}/min (${fixed(KEY_LIMIT_PER_MINUTE / 60, 1)} req/s) offered ` +
        `${HAMMER_RATE_PER_TENANT} req/s on ${HAMMER_CONNECTIONS_PER_TENANT} keep-alive connections (${fixed(HAMMER_RATE_PER_TENANT / (KEY_LIMIT_PER_MINUTE / 60), 0)} × its limit); ` +
        `${HAMMERING_TENANTS * HAMMER_RATE_PER_TENANT} req/s offered in all as an even open-loop stream (a 5 ms tick), from a process of its own at nice ${HAMMER_NICE}`,
    );
    log(
      `quiet: one tenant's signed-in user, ${QUIET_RATE} req/s open loop (tenant limit ${TENANT_LIMIT_PER_MINUTE}/min), keep-alive, from the bench's main thread; ` +
        `${ROUNDS} rounds × ${phaseSeconds} s each alone, beside the keys at their limits, beside the hammering; pooled`,
    );
    log('');
    log(
      renderTable(
        ['round', 'load avg before (1/5/15)', 'load avg after', 'hammering before measuring s', 'p99 alone ms', 'p99 at limits ms', 'p99 hammered ms', 'hammered / alone'],
        rounds.map((r, i) => [
          String(i + 1),
          r.loadBefore,
          r.loadAfter,
          String(settleSeconds[i]),
          fixed(r.aloneP99, 1),
          fixed(r.limitP99, 1),
          fixed(r.loadedP99, 1),
          fixed(r.loadedP99 / r.aloneP99, 2),
        ]),
      ),
    );
    log('');
    log(
      renderTable(
        ['quiet tenant', 'samples', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'non-200', 'inside api p50 / p99 ms', 'api CPU %'],
        [
          [
            'alone',
            String(alone.latencies.length),
            fixed(a.p50, 1),
            fixed(a.p95, 1),
            fixed(a.p99, 1),
            fixed(a.max, 1),
            nonOkLine(alone),
            `${fixed(inside.alone.p50, 1)} / ${fixed(inside.alone.p99, 1)}`,
            fixed((aloneCpuSeconds / (phaseSeconds * ROUNDS)) * 100, 0),
          ],
          [
            'beside the keys at their limits',
            String(limited.latencies.length),
            fixed(m.p50, 1),
            fixed(m.p95, 1),
            fixed(m.p99, 1),
            fixed(m.max, 1),
            nonOkLine(limited),
            `${fixed(inside.limit.p50, 1)} / ${fixed(inside.limit.p99, 1)}`,
            '',
          ],
          [
            'under hammering',
            String(loaded.latencies.length),
            fixed(l.p50, 1),
            fixed(l.p95, 1),
            fixed(l.p99, 1),
            fixed(l.max, 1),
            nonOkLine(loaded),
            `${fixed(inside.loaded.p50, 1)} / ${fixed(inside.loaded.p99, 1)}`,
            fixed((loadedCpuSeconds / (phaseSeconds * ROUNDS)) * 100, 0),
          ],
        ],
      ),
    );
    log('');
    log(
      renderTable(
        ['hammering (measured phases)', 'req/s'],
        [
          ['offered (configured)', String(HAMMERING_TENANTS * HAMMER_RATE_PER_TENANT)],
          ['answered', fixed(answered / hammerSeconds, 0)],
          ['refused 429', fixed(hammer429 / hammerSeconds, 0)],
          ['  of which before express (http_requests_shed_total)', fixed(shed / hammerSeconds, 0)],
          ['admitted 200', fixed(hammer200 / hammerSeconds, 1)],
          ['(at their limits: offered / admitted)', `${HAMMERING_TENANTS * AT_LIMIT_RATE_PER_TENANT} / ${fixed((limitStatuses[200] ?? 0) / limitSeconds, 1)}`],
          ['other statuses / errors', `${otherStatuses} / ${hammerErrors}`],
        ],
      ),
    );
    log('');
    log(
      renderTable(
        ['api CPU per request (idle spending taken out)', 'µs', 'requests', 'statuses'],
        [
          ['admitted (calibration, 150 req/s)', fixed(admittedUs, 0), String(admitted.result.responses), statusLine(admitted.result.statuses)],
          ['refused (calibration, flat out)', fixed(refusedUs, 0), String(refused.result.responses), statusLine(refused.result.statuses)],
          ['hammering phases: added CPU per answer (refused and admitted)', fixed(perHammerAnswerUs, 0), String(answered), statusLine(hammerStatuses)],
        ],
      ),
    );
    log(`idle api: ${fixed(idleCpuPerSecond * 1000, 1)} ms CPU per second`);
    log('');
    log(
      ratio <= TARGET_RATIO
        ? `quiet p99 under hammering / alone = ${fixed(l.p99, 1)} / ${fixed(a.p99, 1)} ms = ${fixed(ratio, 2)} ≤ ${TARGET_RATIO} — target met`
        : `quiet p99 under hammering / alone = ${fixed(l.p99, 1)} / ${fixed(a.p99, 1)} ms = ${fixed(ratio, 2)} > ${TARGET_RATIO} — BELOW TARGET`,
    );
    log(`quiet p99 under hammering / beside the same tenants at their limits = ${fixed(l.p99 / m.p99, 2)} (what refusing 40 × the limits adds to admitting the limits)`);
    log('');
  },
};

interface LoadOnce {
  responses: number;
  statuses: Record<number, number>;
}

async function loadOnce(settings: autocannon.Options & { requests?: unknown[] }, signal: AbortSignal): Promise<LoadOnce> {
  const run = autocannon({ sampleInt: 100, ...settings });
  const statuses: Record<number, number> = {};
  let responses = 0;
  run.on('response', (_client, status) => {
    responses += 1;
    statuses[status] = (statuses[status] ?? 0) + 1;
  });
  const stop = () => run.stop();
  signal.addEventListener('abort', stop, { once: true });
  try {
    await run;
    signal.throwIfAborted();
  } finally {
    signal.removeEventListener('abort', stop);
  }
  return { responses, statuses };
}

async function cpuOf<T>(pid: number | undefined, work: () => Promise<T>): Promise<{ result: T; cpu: number; seconds: number }> {
  const cpu = cpuSeconds(pid);
  const started = performance.now();
  const result = await work();
  return { result, cpu: cpuSeconds(pid) - cpu, seconds: (performance.now() - started) / 1000 };
}

async function cpuOver(pid: number | undefined, ms: number): Promise<{ cpu: number; seconds: number }> {
  const { cpu, seconds } = await cpuOf(pid, () => sleep(ms));
  return { cpu, seconds };
}

/** Open loop: one request every 1/QUIET_RATE s whether or not the previous one has answered. */
async function quietPhase(get: (requestId: string) => Promise<{ ms: number; status: number }>, label: string, seconds: number, signal: AbortSignal): Promise<QuietResult> {
  const result: QuietResult = { latencies: [], statuses: {}, errors: 0 };
  const pending: Promise<void>[] = [];
  const interval = 1000 / QUIET_RATE;
  const started = performance.now();
  for (let i = 0; i < seconds * QUIET_RATE; i++) {
    signal.throwIfAborted();
    const due = started + i * interval;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    pending.push(
      get(`${label}-${i}`).then(
        ({ ms, status }) => {
          result.latencies.push(ms);
          result.statuses[status] = (result.statuses[status] ?? 0) + 1;
        },
        () => void (result.errors += 1),
      ),
    );
  }
  await Promise.all(pending);
  return result;
}

function timedGet(url: string, token: string, agent: Agent, requestId: string): Promise<{ ms: number; status: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = request(url, { agent, headers: { authorization: `Bearer ${token}`, 'x-request-id': requestId } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ ms: performance.now() - started, status: res.statusCode ?? 0 }));
    });
    req.setTimeout(30_000, () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end();
  });
}

function merge(into: QuietResult, from: QuietResult): void {
  into.latencies.push(...from.latencies);
  into.errors += from.errors;
  for (const [status, n] of Object.entries(from.statuses)) into.statuses[Number(status)] = (into.statuses[Number(status)] ?? 0) + n;
}

function summarize(r: QuietResult): { p50: number; p95: number; p99: number; max: number } {
  const sorted = Float64Array.from(r.latencies).sort();
  const at = (q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]! : Number.NaN);
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: at(1) };
}

const nonOkLine = (r: QuietResult) =>
  [...Object.entries(r.statuses).filter(([s]) => s !== '200').map(([s, c]) => `${s}×${c}`), ...(r.errors ? [`errors×${r.errors}`] : [])].join(' ') || '0';
const statusLine = (statuses: Record<number, number>) => Object.entries(statuses).map(([s, c]) => `${s}×${c}`).join(' ');
const loadavgLine = () => loadavg().map((l) => l.toFixed(2)).join(' ');

interface LoadProcess {
  snapshot(): Promise<HammerCounts>;
  /** Starts it the first time, resumes it after a pause. */
  resume(): void;
  pause(): void;
  stop(): Promise<void>;
}

/** A hammer-process child, started on first resume, paused with SIGSTOP and resumed with SIGCONT. */
function loadProcess(spec: HammerSpec, cleanup: Cleanup): LoadProcess {
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  cleanup.add('stop a load generator', async () => {
    if (!child || child.exitCode !== null) return;
    child.kill('SIGKILL');
    await exited;
  });
  return {
    snapshot: () =>
      new Promise<HammerCounts>((resolve) => {
        child!.once('message', (counts) => resolve(counts as HammerCounts));
        child!.send({ type: 'snapshot' });
      }),
    resume() {
      if (child) return void child.kill('SIGCONT');
      const started = fork(join(__dirname, 'support', 'hammer-process.js'), [], { env: { ...process.env, HAMMER_SPEC: JSON.stringify(spec) }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
      exited = new Promise<void>((resolve) => started.once('exit', () => resolve()));
      child = started;
    },
    pause() {
      child?.kill('SIGSTOP');
    },
    async stop() {
      if (!child || child.exitCode !== null) return;
      child.kill('SIGCONT');
      child.send({ type: 'stop' });
      await Promise.race([exited, sleep(5_000)]);
    },
  };
}

/** Seconds until the hammering's admitted (200) rate over the last 2 s is at most `steadyRate`. */
async function untilSteady(snapshot: () => Promise<HammerCounts>, steadyRate: number, signal: AbortSignal): Promise<number> {
  let previous = await snapshot();
  for (let waited = 0; waited < STEADY_TIMEOUT_S; waited += 2) {
    await sleep(2_000, undefined, { signal });
    const now = await snapshot();
    const rate = ((now.statuses[200] ?? 0) - (previous.statuses[200] ?? 0)) / ((now.at - previous.at) / 1000);
    if (rate <= steadyRate) return waited + 2;
    previous = now;
  }
  return STEADY_TIMEOUT_S;
}

/** The quiet requests' responseTime from the api's request log, by phase. */
async function insideApi(logPath: string): Promise<{ alone: ReturnType<typeof summarize>; limit: ReturnType<typeof summarize>; loaded: ReturnType<typeof summarize> }> {
  const alone: QuietResult = { latencies: [], statuses: {}, errors: 0 };
  const limit: QuietResult = { latencies: [], statuses: {}, errors: 0 };
  const loaded: QuietResult = { latencies: [], statuses: {}, errors: 0 };
  for (const line of (await readFile(logPath, 'utf8')).split('\n')) {
    if (!line.includes('"quiet-')) continue;
    const entry = JSON.parse(line) as { requestId?: string; responseTime?: number };
    if (typeof entry.responseTime !== 'number') continue;
    if (entry.requestId?.startsWith('quiet-alone-')) alone.latencies.push(entry.responseTime);
    else if (entry.requestId?.startsWith('quiet-limit-')) limit.latencies.push(entry.responseTime);
    else if (entry.requestId?.startsWith('quiet-loaded-')) loaded.latencies.push(entry.responseTime);
  }
  return { alone: summarize(alone), limit: summarize(limit), loaded: summarize(loaded) };
}

async function shedCount(apiUrl: string): Promise<number> {
  const text = await (await fetch(`${apiUrl}/metrics`)).text();
  return text
    .split('\n')
    .filter((l) => l.startsWith('http_requests_shed_total{'))
    .reduce((n, l) => n + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}

/** A tenant with its owner signed in, one ticket, and an API key that may read tickets. */
async function seedTenant(apiUrl: string, adminKey: string, slug: string): Promise<{ token: string; key: string }> {
  const email = `owner@${slug}.test`;
  const created = await fetch(`${apiUrl}/v1/admin/tenants`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: slug, slug, owner: { email, name: 'Owner', password: PASSWORD } }),
  });
  if (created.status !== 201) throw new Error(`creating a tenant failed: ${created.status} ${await created.text()}`);
  const login = await fetch(`${apiUrl}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: PASSWORD }) });
  if (login.status !== 200) throw new Error(`signing in failed: ${login.status} ${await login.text()}`);
  const { accessToken } = (await login.json()) as { accessToken: string };
  const auth = { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' };
  const contact = await fetch(`${apiUrl}/v1/contacts`, { method: 'POST', headers: auth, body: JSON.stringify({ name: 'Requester', emails: [`requester@${slug}.test`] }) });
  if (contact.status !== 201) throw new Error(`creating a contact failed: ${contact.status} ${await contact.text()}`);
  const { id: requesterId } = (await contact.json()) as { id: string };
  const ticket = await fetch(`${apiUrl}/v1/tickets`, { method: 'POST', headers: auth, body: JSON.stringify({ subject: 'Bench ticket', requesterId }) });
  if (ticket.status !== 201) throw new Error(`creating a ticket failed: ${ticket.status} ${await ticket.text()}`);
  const key = await fetch(`${apiUrl}/v1/api-keys`, { method: 'POST', headers: auth, body: JSON.stringify({ name: 'hammer', scopes: ['tickets:read'] }) });
  if (key.status !== 201) throw new Error(`creating an API key failed: ${key.status} ${await key.text()}`);
  return { token: accessToken, key: ((await key.json()) as { key: string }).key };
}

