import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, run, waitFor, type RunningProcess } from './processes';

const exec = promisify(execFile);

export interface RedisCluster {
  /** `127.0.0.1:p1,127.0.0.1:p2,…`, as REDIS_CLUSTER_NODES takes it. */
  nodes: string;
  ports: number[];
  /** `redis-cli -p <port> <args>` on one node. */
  cli(port: number, ...args: string[]): Promise<string>;
  stop(): Promise<void>;
}

/**
 * A real Redis Cluster of `primaries` primaries (no replicas) on free loopback ports, under the
 * run's data directory: every slot assigned by `redis-cli --cluster create`, ready once every node
 * reports `cluster_state:ok`. The bus ports are chosen too (`--cluster-port`), so that port+10000
 * need not be free.
 */
export async function startRedisCluster(primaries = 3): Promise<RedisCluster> {
  const dir = mkdtempSync(join(process.env.E2E_DATA_DIR ?? tmpdir(), 'redis-cluster-'));
  const ports: number[] = [];
  const procs: RunningProcess[] = [];
  const cli = async (port: number, ...args: string[]) => (await exec('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args])).stdout;
  const stop = async () => {
    await Promise.all(procs.map((p) => p.stop('SIGKILL')));
  };
  try {
    for (let i = 0; i < primaries; i++) {
      const [port, busPort] = [await freePort(), await freePort()];
      ports.push(port);
      procs.push(
        run(
          'redis-server',
          ['--port', String(port), '--cluster-port', String(busPort), '--bind', '127.0.0.1', '--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${port}.conf`, '--cluster-node-timeout', '5000', '--save', '', '--appendonly', 'no', '--dir', dir],
          { PATH: process.env.PATH ?? '' },
        ),
      );
    }
    await Promise.all(procs.map((p) => waitFor(async () => /Ready to accept connections/.test(p.output()), 'a cluster node to start', 10_000)));
    await exec('redis-cli', ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes']);
    for (const port of ports) await waitFor(async () => /cluster_state:ok/.test(await cli(port, 'cluster', 'info')), `cluster_state:ok on ${port}`, 20_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { nodes: ports.map((p) => `127.0.0.1:${p}`).join(','), ports, cli, stop };
}
