import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../../scripts/stack/stack';
import { rsaKeyPair, sleep } from './helpers/sandbox-harness';

const MAIN = resolve(__dirname, '../../dist/apps/sandbox/src/main.js');
/** A cold `node dist/...` boot on a slow, busy machine. */
const BOOT_DEADLINE_MS = 30_000;

async function waitForHealth(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + BOOT_DEADLINE_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`sandbox exited with ${child.exitCode}`);
    try {
      const remaining = Math.max(1, deadline - Date.now());
      const health = await fetch(`${url}/health`, {
        signal: AbortSignal.timeout(Math.min(5_000, remaining)),
      });
      if (health.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`sandbox did not become healthy within ${BOOT_DEADLINE_MS} ms`);
}

describe('sandbox: the compiled process (node dist/apps/sandbox/src/main.js)', () => {
  let child: ChildProcess;
  let url: string;
  let output = '';

  beforeAll(async () => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} missing: run \`npm run build\` first`);
    const keyFile = join(mkdtempSync(join(tmpdir(), 'sandbox-keys-')), 'psp.pem');
    writeFileSync(keyFile, rsaKeyPair().publicKeyPem);
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    child = spawn(process.execPath, [MAIN], {
      env: {
        ...process.env,
        SANDBOX_PORT: String(port),
        SANDBOX_HOST: '127.0.0.1',
        SANDBOX_ISO8583_PORT: '0',
        SANDBOX_PUBLIC_KEYS: `77=${keyFile}`,
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await waitForHealth(url, child);
  }, BOOT_DEADLINE_MS + 10_000);

  afterAll(() => {
    // Only if a failed test left it running.
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });

  it('boots, logs its URL, loads keys from SANDBOX_PUBLIC_KEYS and guards the API', async () => {
    expect(output).toContain(url);
    const keys = (await (await fetch(`${url}/sandbox/v1/public-keys`)).json()) as {
      publicKeyIds: number[];
    };
    expect(keys.publicKeyIds).toEqual([77]);
    expect((await fetch(`${url}/api/v1/merchants`)).status).toBe(401);
  });

  it('stops on SIGTERM', async () => {
    const exited = new Promise<unknown>((done) =>
      child.once('exit', (code, signal) => done(code ?? signal)),
    );
    child.kill('SIGTERM');
    expect(await exited).toBeDefined();
  }, 20_000);
});
