// Runs the checks and the Jest suite so they fit a small machine's time budget.
//
// The suite has three passes:
//   1. unit specs, in parallel workers;
//   2. e2e files that start no worker process, in parallel workers (each isolates by its own tenants);
//   3. e2e files that start a worker, one at a time.
// A worker's outbox relay dispatches every tenant's committed events of its database into its own
// queues, so two files running workers against one database at once would consume each other's
// events: within one Jest run those files go one at a time. Which files start a worker is read from
// their source, so a new file lands in the right pass without a list to keep.
//
// With `--checks` (what `npm test` uses) the typecheck and the architecture lint, both
// single-threaded, run side by side with the preparation of the word table first; their output is
// collected and printed whole when each ends. The three passes then run one after another, streamed.
//
// Every Jest run gets a database, a queue prefix and a data directory of its own (test/support/
// global-setup.ts), so separate runs share nothing: TEST_LANES=2 runs pass 3 as a second lane beside
// passes 1 and 2 (collected output). On two cores that only time-slices the same work, and files
// starting their apps while the other lane keeps the cores busy can miss their start limits; it is
// for machines with cores to spare. TEST_WORKERS sets the parallel width of passes 1 and 2, and
// TEST_PASSES=unit,parallel,serial picks passes (one lane only).
// With Jest arguments (`npm run test:jest -- <pattern>`), Jest runs once with them instead.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const root = process.cwd();
// Files that start a worker, or that say they need a database of their own (a long transaction on
// the shared embedded database holds every other file's queries until it ends), run in the lanes.
const STARTS_A_WORKER = /\bstartWorker\(|\bstartCluster\(|dist\/apps\/worker\/|@e2e-own-database/;
const workers = process.env.TEST_WORKERS ?? '3';
const oneLane = process.env.TEST_LANES !== '2';
// TEST_PASSES=unit (or parallel, serial, comma-separated) runs only those passes; all three by default.
const passes = (process.env.TEST_PASSES ?? 'unit,parallel,serial').split(',');
const args = process.argv.slice(2);
const withChecks = args.includes('--checks');
const extra = args.filter((a) => a !== '--checks');
const JEST = ['--experimental-vm-modules', 'node_modules/jest/bin/jest.js'];
if (extra.length > 0) {
  const result = spawnSync(process.execPath, [...JEST, ...extra], { stdio: 'inherit' });
  process.exit(result.status ?? 1);
}

const e2eFiles = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (path.endsWith('.e2e-spec.ts')) e2eFiles.push(relative(root, path));
  }
};
walk(join(root, 'test'));
const serial = e2eFiles.filter((file) => STARTS_A_WORKER.test(readFileSync(file, 'utf8'))).sort();
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const bin = (name) => join(root, 'node_modules', '.bin', name);

/** A step: a label and the command that runs it. */
const step = (label, command, commandArgs) => ({ label, command, commandArgs });
const jestStep = (label, jestArgs) => step(label, process.execPath, [...JEST, ...jestArgs]);

const typecheck = step('typecheck (tsc --noEmit)', bin('tsc'), ['--noEmit', '-p', 'tsconfig.json']);
const lint = step('architecture lint', 'npm', ['run', '--silent', 'lint']);
// The local embedder's word table, prepared once before the workers start (specs in parallel
// workers would otherwise all wait on the one that converts it, each within its own timeout).
const prepare = step('word vectors', process.execPath, ['dist/scripts/kb-embeddings-prepare.js', '--dir', join('node_modules', '.cache', 'switchboard-embeddings')]);
const unit = jestStep('unit specs, grouped, parallel', ['--selectProjects', 'unit-grouped', `--maxWorkers=${workers}`]);
const parallelE2e = jestStep('e2e files without a worker, parallel', ['--selectProjects', 'e2e', `--maxWorkers=${workers}`, ...serial.map((f) => `--testPathIgnorePatterns=${escape(f)}$`)]);
/**
 * The files with a worker run one at a time within a lane: a worker relays every pending outbox
 * event of its database, so two files sharing a database would consume each other's events. Each
 * lane is its own Jest run, so its global setup gives it a database, run id and data directory of
 * its own, and lanes run side by side (one lane leaves a core mostly idle while apps start and
 * tests wait). Files are dealt to lanes largest first (size stands in for duration).
 */
const serialLanes = Math.max(1, Number(process.env.TEST_SERIAL_LANES ?? '2'));
const lanes = Array.from({ length: Math.min(serialLanes, serial.length) }, () => ({ files: [], weight: 0 }));
for (const file of [...serial].sort((a, b) => statSync(b).size - statSync(a).size)) {
  const lane = lanes.reduce((lightest, l) => (l.weight < lightest.weight ? l : lightest));
  lane.files.push(file);
  lane.weight += statSync(file).size;
}
const serialE2e = lanes.map((lane, i) =>
  jestStep(`e2e files with a worker, lane ${i + 1} of ${lanes.length} (${lane.files.length} files, one at a time, own database)`, ['--selectProjects', 'e2e', '--runInBand', '--runTestsByPath', ...lane.files.sort()]),
);

/**
 * Writes the unit specs into a few group files under .jest-bundles/ (Jest project `unit-grouped`).
 *
 * Jest evaluates a test file's whole module graph afresh for every file, and almost every spec reaches
 * NestJS, TypeORM and the SDKs through a context's index: loading that graph, not the tests, was most of
 * the unit pass (about 8x the CPU of the tests themselves). A group file imports its specs one after
 * another, so they share one graph. A spec with a hook outside any `describe` would apply it to the whole
 * group, so such a file gets a group of its own. `npm run test:unit` still runs every spec as its own file.
 */
function writeUnitGroups() {
  const specs = [];
  const skip = new Set(['node_modules', 'dist', '.data', '.jest-bundles', 'coverage']);
  const collect = (dir) => {
    for (const name of readdirSync(dir)) {
      if (skip.has(name)) continue;
      const path = join(dir, name);
      if (statSync(path).isDirectory()) collect(path);
      else if (name.endsWith('.spec.ts') && !name.endsWith('.e2e-spec.ts')) specs.push(relative(root, path));
    }
  };
  for (const top of ['libs', 'apps', 'scripts', 'test']) collect(join(root, top));
  specs.sort();
  const TOP_LEVEL_EACH_HOOK = /^(beforeEach|afterEach)\(/m;
  const groups = new Map();
  for (const spec of specs) {
    const parts = spec.split('/');
    const key = TOP_LEVEL_EACH_HOOK.test(readFileSync(spec, 'utf8')) ? spec.replace(/[^a-z0-9]+/gi, '-') : parts[0] === 'libs' || parts[0] === 'apps' ? `${parts[0]}-${parts[1]}` : parts[0];
    groups.set(key, [...(groups.get(key) ?? []), spec]);
  }
  const dir = join(root, '.jest-bundles');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir);
  const PER_FILE = 30;
  for (const [key, files] of groups) {
    const chunks = Math.ceil(files.length / PER_FILE);
    for (let c = 0; c < chunks; c++) {
      const part = files.filter((_, i) => i % chunks === c);
      const body = part.map((f) => `import '../${f.replace(/\.ts$/, '')}';`).join('\n');
      writeFileSync(join(dir, `${key}${chunks > 1 ? `-${c + 1}` : ''}.spec.ts`), `// Written by scripts/run-tests.mjs: these unit specs share one module graph.\n${body}\n`);
    }
  }
}
writeUnitGroups();

const logs = mkdtempSync(join(tmpdir(), 'switchboard-test-logs-'));
const results = [];
const startedAt = Date.now();
const seconds = (since) => Math.round((Date.now() - since) / 1000);

/** Runs a step; streamed when alone, else collected and printed whole when it ends. */
function run({ label, command, commandArgs }, { stream }) {
  return new Promise((resolve) => {
    const started = Date.now();
    if (stream) console.log(`\n▶ ${label}\n`);
    else console.log(`▶ ${label} (started at +${seconds(startedAt)} s)`);
    const logFile = join(logs, `${results.length}-${label.replace(/[^a-z0-9]+/gi, '-')}.log`);
    const log = stream ? undefined : createWriteStream(logFile);
    const child = spawn(command, commandArgs, { stdio: stream ? 'inherit' : ['ignore', 'pipe', 'pipe'] });
    if (log) {
      child.stdout.pipe(log, { end: false });
      child.stderr.pipe(log, { end: false });
    }
    child.on('close', (code) => {
      const passed = code === 0;
      results.push({ label, passed });
      const finish = () => {
        if (!stream) {
          console.log(`\n──── ${label} ────\n`);
          process.stdout.write(readFileSync(logFile, 'utf8'));
        }
        console.log(`\n◀ ${label}: ${passed ? 'passed' : 'FAILED'} in ${seconds(started)} s (at +${seconds(startedAt)} s)\n`);
        resolve(passed);
      };
      if (log) log.end(finish);
      else finish();
    });
  });
}

const sequence = async (steps, options) => {
  for (const s of steps) await run(s, options);
};

if (oneLane) {
  const checks = withChecks ? [run(typecheck, { stream: false }), run(lint, { stream: false })] : [];
  const [prepared] = await Promise.all([run(prepare, { stream: false }), ...checks]);
  if (prepared) {
    if (passes.includes('unit')) await run(unit, { stream: true });
    if (passes.includes('parallel')) await run(parallelE2e, { stream: true });
    if (passes.includes('serial')) await Promise.all(serialE2e.map((s) => run(s, { stream: serialE2e.length === 1 })));
  }
} else {
  const checks = withChecks ? Promise.all([run(typecheck, { stream: false }), run(lint, { stream: false })]) : Promise.resolve();
  const prepared = await run(prepare, { stream: false });
  if (prepared) await Promise.all([checks, sequence([unit, parallelE2e], { stream: false }), sequence(serialE2e, { stream: false })]);
  else await checks;
}
rmSync(logs, { recursive: true, force: true });

const failed = results.filter((r) => !r.passed).map((r) => r.label);
if (failed.length > 0) {
  if (results.some((r) => r.label === prepare.label && !r.passed)) console.error('preparing the word vectors failed (is dist/ built? npm test builds it)');
  console.error(`\nfailed: ${failed.join('; ')} (${seconds(startedAt)} s in all)`);
  process.exit(1);
}
console.log(`\nall checks and test passes passed in ${seconds(startedAt)} s`);
