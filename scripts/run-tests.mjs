// Runs the Jest suite in three passes so it fits a small machine's time budget:
//   1. unit specs, in parallel workers;
//   2. e2e files that start no worker process, in parallel workers (each isolates by its own tenants);
//   3. e2e files that start a worker, one at a time.
// A worker's outbox relay dispatches every tenant's committed events into its own queues, so two
// files running workers at once (or one running a worker beside a file expecting a worker of its
// own prefix) would consume each other's events. Which files start a worker is read from their
// source, so a new file lands in the right pass without a list to keep.
// With arguments (`npm run test:jest -- <pattern>`), Jest runs once with them instead.
// TEST_WORKERS sets the parallel width.
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = process.cwd();
const STARTS_A_WORKER = /\bstartWorker\(|\bstartCluster\(|dist\/apps\/worker\//;
const workers = process.env.TEST_WORKERS ?? '3';
const extra = process.argv.slice(2);
if (extra.length > 0) {
  const result = spawnSync(process.execPath, ['--experimental-vm-modules', 'node_modules/jest/bin/jest.js', ...extra], { stdio: 'inherit' });
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

const jest = (label, args) => {
  console.log(`\n▶ ${label}\n`);
  const started = Date.now();
  const result = spawnSync(process.execPath, ['--experimental-vm-modules', 'node_modules/jest/bin/jest.js', ...args], { stdio: 'inherit' });
  console.log(`\n◀ ${label}: ${result.status === 0 ? 'passed' : 'FAILED'} in ${Math.round((Date.now() - started) / 1000)} s`);
  return result.status === 0;
};

const passes = [
  ['unit specs, parallel', ['--selectProjects', 'unit', `--maxWorkers=${workers}`]],
  ['e2e files without a worker, parallel', ['--selectProjects', 'e2e', `--maxWorkers=${workers}`, ...serial.map((f) => `--testPathIgnorePatterns=${escape(f)}$`)]],
  [`e2e files with a worker (${serial.length}), one at a time`, ['--selectProjects', 'e2e', '--runInBand', '--runTestsByPath', ...serial]],
];
// The local embedder's word table, prepared once before the workers start (specs in parallel
// workers would otherwise all wait on the one that converts it, each within its own timeout).
const prepared = spawnSync(process.execPath, ['dist/scripts/kb-embeddings-prepare.js', '--dir', join('node_modules', '.cache', 'switchboard-embeddings')], { stdio: 'inherit' });
if (prepared.status !== 0) {
  console.error('preparing the word vectors failed (is dist/ built? npm test builds it)');
  process.exit(1);
}

const failed = passes.filter(([label, args]) => !jest(label, args)).map(([label]) => label);
if (failed.length > 0) {
  console.error(`\ntest passes failed: ${failed.join('; ')}`);
  process.exit(1);
}
console.log('\nall test passes passed');
