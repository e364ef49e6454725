import { execFileSync } from 'node:child_process';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { round } from './stats';

function version(command: string, args: string[]): string | undefined {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
      .split('\n')[0]
      .trim();
  } catch {
    return undefined;
  }
}

/**
 * What the figures were measured on. The load average is part of it: figures taken on a busy
 * machine are not comparable with a quiet one, and the report should say so.
 */
export function machine(): Record<string, unknown> {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    memoryGiB: round(totalmem() / 2 ** 30),
    kernel: release(),
    node: process.version,
    openssl: version('openssl', ['version']),
    postgres: version('psql', ['--version']),
    redis: version('redis-server', ['--version']),
    loadAverage1m: round(loadavg()[0], 2),
  };
}
