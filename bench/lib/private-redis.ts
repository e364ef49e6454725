import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../../scripts/stack/stack';

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port }, () => socket.write('PING\r\n'));
    socket.setTimeout(500, () => socket.destroy());
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG'));
    });
    socket.once('error', () => resolve(false));
    socket.once('close', () => resolve(false));
  });
}

/**
 * A redis-server of our own on a free loopback port, without persistence (as the chaos run
 * assumes: a restart loses every job, and the janitor must re-queue from Postgres). The machine's
 * Redis on 6379 is never touched.
 */
export class PrivateRedis {
  private child: ChildProcess | undefined;
  restarts = 0;

  private constructor(
    readonly port: number,
    private readonly dir: string,
  ) {}

  static async start(dir: string): Promise<PrivateRedis> {
    mkdirSync(dir, { recursive: true });
    const redis = new PrivateRedis(await freePort(), dir);
    await redis.spawn();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** kill -9: no shutdown, no save; every key is gone with the process. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
    this.child = undefined;
  }

  async restart(): Promise<void> {
    await this.kill();
    await this.spawn();
    this.restarts++;
  }

  stop(): Promise<void> {
    return this.kill();
  }

  private async spawn(): Promise<void> {
    const log = createWriteStream(join(this.dir, 'redis.log'), { flags: 'a' });
    const child = spawn(
      'redis-server',
      [
        ...['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir],
        ...['--save', '', '--appendonly', 'no', '--daemonize', 'no'],
        ...['--maxmemory-policy', 'noeviction'],
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout?.pipe(log, { end: false });
    child.stderr?.pipe(log, { end: false });
    let failure: Error | undefined;
    child.once('error', (error) => (failure = error));
    child.once('exit', () => log.end());
    this.child = child;
    const deadline = Date.now() + 10_000;
    while (!(await ping(this.port))) {
      if (failure) throw new Error(`cannot start redis-server: ${failure.message}`);
      if (child.exitCode !== null) throw new Error(`redis-server exited (${child.exitCode})`);
      if (Date.now() > deadline) throw new Error('private redis-server did not answer in 10 s');
      await sleep(50);
    }
  }
}
