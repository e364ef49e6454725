import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * Prometheus' promtool, from Debian's `prometheus` package: on PATH when installed, else the
 * package is downloaded with apt-get (no install, no service started) and promtool extracted
 * once into node_modules/.cache.
 */
const TARGET = join(__dirname, '..', '..', 'node_modules', '.cache', 'promtool', 'promtool');

export function promtoolBinary(): string {
  const onPath = spawnSync('sh', ['-c', 'command -v promtool'], { encoding: 'utf8' });
  if (onPath.status === 0 && onPath.stdout.trim()) return onPath.stdout.trim();
  if (existsSync(TARGET)) return TARGET;
  const work = mkdtempSync(join(tmpdir(), 'promtool-'));
  try {
    let download = spawnSync('apt-get', ['download', 'prometheus'], { cwd: work, encoding: 'utf8' });
    if (download.status !== 0) {
      spawnSync('apt-get', ['update', '-qq'], { encoding: 'utf8' });
      download = spawnSync('apt-get', ['download', 'prometheus'], { cwd: work, encoding: 'utf8' });
    }
    const deb = readdirSync(work).find((file) => file.endsWith('.deb'));
    if (!deb) throw new Error(`apt-get download prometheus failed: ${download.stderr}`);
    const extract = spawnSync('dpkg-deb', ['-x', join(work, deb), join(work, 'x')], {
      encoding: 'utf8',
    });
    if (extract.status !== 0) throw new Error(`dpkg-deb failed: ${extract.stderr}`);
    mkdirSync(dirname(TARGET), { recursive: true });
    // Jest runs spec files in parallel workers: the rename is atomic on one filesystem.
    const partial = `${TARGET}.${process.pid}.partial`;
    copyFileSync(join(work, 'x', 'usr', 'bin', 'promtool'), partial);
    chmodSync(partial, 0o755);
    renameSync(partial, TARGET);
    return TARGET;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export function runPromtool(args: string[], cwd?: string) {
  const result = spawnSync(promtoolBinary(), args, { cwd, encoding: 'utf8' });
  if (result.error) throw result.error;
  return { status: result.status ?? -1, output: `${result.stdout}${result.stderr}` };
}
