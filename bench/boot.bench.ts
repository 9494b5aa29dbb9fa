import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { Benchmark } from './support/benchmark';
import { fixed, renderTable } from './support/table';

const ROUNDS = Number(process.env.BOOT_BENCH_ROUNDS ?? 7);

/**
 * The packages the apps load on first use (`onFirstUse`, ADR 0058). Loading them before the
 * app's modules is what every start paid before: the same-run baseline.
 */
const ON_FIRST_USE = [
  'gpt-tokenizer', 'tinyld', 'mailparser', 'nodemailer', 'stripe', '@simplewebauthn/server', '@node-saml/node-saml', 'ics', 'ical.js', 'qrcode', 'smtp-server',
  '@anthropic-ai/sdk', 'openai', '@google/genai', '@aws-sdk/client-s3', '@aws-sdk/lib-storage', '@aws-sdk/s3-request-presigner',
];

interface Sample {
  wallMs: number;
  cpuMs: number;
}

/** One fresh process evaluating an app's module graph (no database, no listening): its wall and CPU time. */
function loadOnce(entry: string, eager: boolean): Sample {
  const code = `
    const started = performance.now(); const cpu = process.cpuUsage();
    (async () => {
      ${eager ? `for (const name of ${JSON.stringify(ON_FIRST_USE)}) require(name);` : ''}
      await import(${JSON.stringify(entry)});
      const used = process.cpuUsage(cpu);
      process.stdout.write(JSON.stringify({ wallMs: performance.now() - started, cpuMs: (used.user + used.system) / 1000 }));
      process.exit(0);
    })();`;
  const child = spawnSync(process.execPath, ['-e', code], { cwd: process.cwd(), encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' } });
  if (child.status !== 0) throw new Error(`loading ${entry} failed: ${child.stderr.slice(0, 500)}`);
  return JSON.parse(child.stdout) as Sample;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/**
 * Start cost of the api's and the worker's module graphs, as built (SDKs on first use) against
 * the same graphs with those SDKs loaded up front, rounds interleaved so machine noise falls on
 * both alike. Module evaluation is most of a start's CPU; an e2e run starts the apps 100+ times.
 */
export const bootBenchmark: Benchmark = {
  name: 'boot',
  description: 'api and worker module load: SDKs on first use vs loaded up front (median CPU ms, ratio)',
  async run({ log, signal }) {
    const entries = { api: join(process.cwd(), 'dist/apps/api/src/app.module.js'), worker: join(process.cwd(), 'dist/apps/worker/src/worker.module.js') };
    const rows: string[][] = [];
    for (const [app, entry] of Object.entries(entries)) {
      const lazy: Sample[] = [];
      const eager: Sample[] = [];
      loadOnce(entry, false); // warms the file cache
      for (let round = 0; round < ROUNDS && !signal.aborted; round++) {
        lazy.push(loadOnce(entry, false));
        eager.push(loadOnce(entry, true));
      }
      const lazyCpu = median(lazy.map((s) => s.cpuMs));
      const eagerCpu = median(eager.map((s) => s.cpuMs));
      rows.push([`${app}: on first use`, fixed(lazyCpu, 0), fixed(median(lazy.map((s) => s.wallMs)), 0), fixed(lazyCpu / eagerCpu, 2)]);
      rows.push([`${app}: loaded up front (baseline)`, fixed(eagerCpu, 0), fixed(median(eager.map((s) => s.wallMs)), 0), '1.00']);
    }
    log(`${ROUNDS} rounds each, interleaved\n`);
    log(renderTable(['module graph', 'CPU ms (median)', 'wall ms (median)', 'CPU vs baseline'], rows));
  },
};
