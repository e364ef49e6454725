import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { type ConnectionOptions, Queue, Worker } from 'bullmq';
import { Cluster } from 'ioredis';
import { Secret, type AppConfig } from '@app/config';
import { redisConnection } from '@app/queue';
import { freePort } from '../../scripts/stack/stack';

jest.setTimeout(60_000);

const run = promisify(execFile);

/** Real redis-server processes of our own (standalone, Sentinel, Cluster) on loopback. */
class RedisProcesses {
  private readonly children: ChildProcess[] = [];
  readonly dir = mkdtempSync(join(tmpdir(), 'psp-redis-'));

  async server(port: number, ...args: string[]): Promise<void> {
    this.children.push(
      spawn(
        'redis-server',
        [
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--save',
          '',
          '--appendonly',
          'no',
          '--dir',
          this.dir,
          ...args,
        ],
        {
          stdio: 'ignore',
        },
      ),
    );
    await this.until(port, 'PING', (out) => out.includes('PONG'));
  }

  async sentinel(port: number, masterPort: number): Promise<void> {
    const conf = join(this.dir, `sentinel-${port}.conf`);
    writeFileSync(
      conf,
      `port ${port}\nbind 127.0.0.1\nsentinel monitor psp-master 127.0.0.1 ${masterPort} 1\n`,
    );
    this.children.push(spawn('redis-server', [conf, '--sentinel'], { stdio: 'ignore' }));
    await this.until(port, 'PING', (out) => out.includes('PONG'));
  }

  async until(port: number, command: string, ok: (out: string) => boolean): Promise<void> {
    for (let i = 0; i < 100; i++) {
      const out = await run('redis-cli', ['-p', String(port), ...command.split(' ')]).then(
        (r) => r.stdout,
        () => '',
      );
      if (ok(out)) return;
      await sleep(100);
    }
    throw new Error(`redis on ${port}: "${command}" never answered as expected`);
  }

  stop(): void {
    for (const child of this.children) child.kill('SIGKILL');
  }
}

/** One job through BullMQ over the given topology: added by a producer, done by a worker. */
async function roundTrip(redis: AppConfig['redis']): Promise<unknown> {
  const connections: ConnectionOptions[] = [];
  const connect = (role: 'producer' | 'worker') => {
    connections.push(redisConnection(redis, role));
    return { connection: connections.at(-1)!, prefix: redis.queuePrefix };
  };
  const queue = new Queue('topology-check', connect('producer'));
  const worker = new Worker(
    'topology-check',
    (job) => Promise.resolve({ echoed: job.data }),
    connect('worker'),
  );
  try {
    await Promise.all([queue.waitUntilReady(), worker.waitUntilReady()]);
    const job = await queue.add('check', { attemptId: 'a-1' });
    for (let i = 0; i < 200; i++) {
      // State first, then the job: a job read before it completes carries no return value yet.
      if ((await queue.getJobState(job.id!)) === 'completed') {
        return (await queue.getJob(job.id!))?.returnvalue;
      }
      await sleep(50);
    }
    throw new Error(`job ${job.id} not done: ${await queue.getJobState(job.id!)}`);
  } finally {
    await worker.close();
    await queue.close();
    // A Cluster instance is lent to BullMQ, which leaves closing it to its owner.
    for (const connection of connections) {
      if (connection instanceof Cluster) connection.disconnect();
    }
  }
}

describe('BullMQ over every Redis topology the Helm chart offers', () => {
  const redis = new RedisProcesses();

  afterAll(() => redis.stop());

  it('sentinel: finds the master through the Sentinels and runs a job', async () => {
    const [masterPort, sentinelPort] = [await freePort(), await freePort()];
    await redis.server(masterPort);
    await redis.sentinel(sentinelPort, masterPort);
    const result = await roundTrip({
      // Only credentials, TLS and the database come from the URL; the host is the Sentinels' answer.
      url: new Secret('redis://unused.invalid:1/0'),
      queuePrefix: '{psp-sentinel}',
      topology: {
        mode: 'sentinel',
        sentinels: [{ host: '127.0.0.1', port: sentinelPort }],
        masterName: 'psp-master',
      },
    });
    expect(result).toEqual({ echoed: { attemptId: 'a-1' } });
  });

  it('cluster: three masters, the queue in one slot by its hash tag, runs a job', async () => {
    const ports = [await freePort(), await freePort(), await freePort()];
    for (const port of ports) {
      // The cluster bus would default to port + 10000, which nothing checked was free.
      const busPort = await freePort();
      await redis.server(
        port,
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        `nodes-${port}.conf`,
        '--cluster-port',
        String(busPort),
      );
    }
    await run('redis-cli', [
      '--cluster',
      'create',
      ...ports.map((port) => `127.0.0.1:${port}`),
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    ]);
    for (const port of ports) {
      await redis.until(port, 'CLUSTER INFO', (out) => out.includes('cluster_state:ok'));
    }
    const result = await roundTrip({
      url: new Secret('redis://unused.invalid:1'),
      queuePrefix: '{psp-cluster}',
      topology: { mode: 'cluster', nodes: ports.map((port) => ({ host: '127.0.0.1', port })) },
    });
    expect(result).toEqual({ echoed: { attemptId: 'a-1' } });
  });
});
