import { startWorker } from '../support/processes';
import { acknowledged, expectRecovered, startCluster, startLoad, unclear, type Cluster } from './cluster';

/**
 * kill -9 of a worker in the middle of its batches (relay claims, jobs in flight) while tickets,
 * articles and probes are being written: nothing acknowledged is lost, nothing happens twice, and
 * the other worker (with a replacement) finishes everything.
 */
describe('fault: a worker killed mid-batch', () => {
  let cluster: Cluster;

  beforeAll(async () => {
    cluster = await startCluster();
  }, 120_000);
  afterAll(async () => {
    await cluster?.stop();
  });

  it('loses no acknowledged write and applies every committed event exactly once', async () => {
    const load = startLoad(cluster, { concurrency: 4 });
    await acknowledged(load, 30);
    const code = await cluster.workers[0]!.stop('SIGKILL');
    expect(code).toBeNull();
    // Writes carry on while one worker is gone and after its replacement starts.
    await acknowledged(load, 30);
    cluster.workers[0] = await startWorker(cluster.env);
    await acknowledged(load, 20);
    const outcomes = await load.stop();

    expect(unclear(outcomes)).toEqual([]);
    expect(outcomes.filter((o) => o.kind === 'article' && o.status === 201).length).toBeGreaterThan(0);
    await expectRecovered(cluster, outcomes);
  }, 120_000);
});
