import { execFileSync } from 'node:child_process';

/** RSA private-key operations per second (`sign/s`) that OpenSSL measures on this machine, one core. */
export function opensslRsaSignsPerSecond(bits = 4096, seconds = 3): number {
  const out = execFileSync('openssl', ['speed', '-seconds', String(seconds), `rsa${bits}`], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const line = out
    .split('\n')
    .find((l) => l.startsWith(`rsa ${bits} bits`) || l.startsWith(`rsa  ${bits} bits`));
  const columns = line?.trim().split(/\s+/);
  const signs = columns ? Number(columns[columns.length - 2]) : NaN;
  if (!Number.isFinite(signs)) throw new Error(`cannot read openssl speed output:\n${out}`);
  return signs;
}
