import { type ChildProcess, spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  writeFileSync,
  type WriteStream,
} from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { generateCardKeyPair } from '../../libs/crypto/src/key-tooling';
import { startLogoServer } from './logo-server';
import { THREE_DS_IO_TEST_API_KEY } from '../../apps/sandbox/src/three-ds-server/three-ds-io-simulator.service';

/**
 * Starts the real processes (sandbox, gateway, worker) from the compiled build, each on its own
 * port, wired together over loopback. Used by `npm run demo` and by the e2e tests.
 */
export const REPO_ROOT = resolve(
  __dirname,
  '..',
  '..',
  existsSync(resolve(__dirname, '..', '..', 'package.json')) ? '' : '..',
);

export type ServiceName = 'sandbox' | 'gateway' | 'worker';

/** The callbackAlias under which the sandbox's notification service calls this stack's gateway. */
export const POS_CALLBACK_ALIAS = 'psp-gateway';

const ENTRY: Record<ServiceName, string> = {
  sandbox: 'dist/apps/sandbox/src/main.js',
  gateway: 'dist/apps/gateway/src/main.js',
  worker: 'dist/apps/worker/src/main.js',
};

export interface StackOptions {
  databaseUrl: string;
  redisUrl: string;
  /** Directory for keys and logs of this run. */
  workDir: string;
  publicKeyId?: number;
  keyBits?: number;
  /** Extra environment per service (e.g. short deadlines in tests). */
  env?: Partial<Record<ServiceName, Record<string, string>>>;
  /** Extra node flags per service (e.g. `--prof` when profiling a benchmark). */
  nodeArgs?: Partial<Record<ServiceName, string[]>>;
}

export interface Stack {
  /** `logo`: a loopback server with merchant logos (`/logo-250.png`), see logo-server.ts. */
  urls: { sandbox: string; gateway: string; workerHealth: string; logo: string };
  adminKey: string;
  publicKeyId: number;
  publicKeyPath: string;
  logDir: string;
  start(name: ServiceName): Promise<void>;
  /** Extra environment for the next start of a service (e.g. to restart it differently). */
  setEnv(name: ServiceName, env: Record<string, string>): void;
  /** SIGKILL: no shutdown hooks, no draining, as in a crash. */
  kill(name: ServiceName): Promise<void>;
  stop(name: ServiceName): Promise<void>;
  isRunning(name: ServiceName): boolean;
  /** The process id of a running service (for RSS and kill -9 from benchmarks), else undefined. */
  pid(name: ServiceName): number | undefined;
  close(): Promise<void>;
}

const handedOut = new Set<number>();

/**
 * A port to listen on, chosen below the kernel's ephemeral range: a port taken from that range
 * (`listen(0)`) can be grabbed by any outbound connection between our probe and the service's own
 * bind, and a service then dies at start-up with EADDRINUSE.
 */
export async function freePort(): Promise<number> {
  const ephemeralLow = ephemeralRangeStart();
  const low = Math.min(15_000, ephemeralLow - 1_000);
  for (let tries = 0; tries < 200; tries += 1) {
    const port = low + Math.floor(Math.random() * (ephemeralLow - low));
    if (handedOut.has(port)) continue;
    if (await canListen(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error(`no free port found in ${low}-${ephemeralLow - 1}`);
}

function ephemeralRangeStart(): number {
  try {
    const [lowText] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')
      .trim()
      .split(/\s+/);
    const parsed = Number(lowText);
    return Number.isInteger(parsed) && parsed > 2_048 ? parsed : 32_768;
  } catch {
    return 32_768;
  }
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolveListen) => {
    const server = createServer();
    server.once('error', () => resolveListen(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolveListen(true)));
  });
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const publicKeyId = options.publicKeyId ?? 263012;
  const keyDir = join(options.workDir, 'keys');
  const logDir = join(options.workDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const privateKeyPath = join(keyDir, `psp-${publicKeyId}-private.pem`);
  const publicKeyPath = join(keyDir, `psp-${publicKeyId}-public.pem`);
  if (!existsSync(privateKeyPath)) {
    generateCardKeyPair({
      integrator: 'psp',
      env: String(publicKeyId),
      outDir: keyDir,
      bits: options.keyBits ?? 4096,
    });
  }
  const clearhaus = clearhausPartner(keyDir);
  const [sandboxPort, gatewayPort, workerHealthPort, isoPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const logoServer = await startLogoServer();
  const urls = {
    sandbox: `http://127.0.0.1:${sandboxPort}`,
    gateway: `http://127.0.0.1:${gatewayPort}`,
    workerHealth: `http://127.0.0.1:${workerHealthPort}`,
    logo: logoServer.url,
  };
  const adminKey = randomBytes(24).toString('base64url');
  const clientId = 'psp-demo-client';
  const clientSecret = randomBytes(16).toString('hex');
  const posClientId = 'psp-pos-integrator';
  const posClientSecret = randomBytes(16).toString('hex');
  const epaymentSecret = randomBytes(16).toString('hex');
  const epaymentSubscriptionKey = randomBytes(16).toString('hex');
  const common: Record<string, string> = {
    NODE_ENV: 'development',
    LOG_LEVEL: 'info',
    DATABASE_URL: options.databaseUrl,
    REDIS_URL: options.redisUrl,
    QUEUE_PREFIX: `{psp-${randomBytes(4).toString('hex')}}`,
    MOBILEPAY_API_URL: urls.sandbox,
    MOBILEPAY_CLIENT_ID: clientId,
    MOBILEPAY_CLIENT_SECRET: clientSecret,
    PUBLIC_BASE_URL: urls.gateway,
    CARD_KEYS: `${publicKeyId}=${privateKeyPath}`,
    CARD_DATA_SEAL_KEY: randomBytes(32).toString('base64'),
    GATEWAY_PORT: String(gatewayPort),
    GATEWAY_HOST: '127.0.0.1',
    WORKER_HEALTH_PORT: String(workerHealthPort),
    SANDBOX_PORT: String(sandboxPort),
    ACQUIRER_URL: urls.sandbox,
    ACQUIRER_ISO8583_PORT: String(isoPort),
    SANDBOX_ISO8583_PORT: String(isoPort),
    ADMIN_API_KEY: adminKey,
    THREE_DS_DONE_URL: `${urls.sandbox}/done3ds.html`,
    // In-store (PoS v10): OAuth2 client credentials at the sandbox's Integrator Authentication API.
    POS_CLIENT_ID: posClientId,
    POS_CLIENT_SECRET: posClientSecret,
    POS_CLIENT_SYSTEM_VERSION: '1.0.0',
    // ePayment (CARD_PASSTHROUGH): PSP credentials at the sandbox's ePayment simulator.
    EPAYMENT_API_URL: urls.sandbox,
    EPAYMENT_CLIENT_ID: 'psp-epayment-client',
    EPAYMENT_CLIENT_SECRET: epaymentSecret,
    EPAYMENT_SUBSCRIPTION_KEY: epaymentSubscriptionKey,
    EPAYMENT_PSP_ID: 'psp-demo',
    // Clearhaus (acquirer `clearhaus`): the sandbox's simulator, a merchant account's API key and
    // the partner's signing key; routed to by the demo (ACQUIRER_ROUTES) and the Clearhaus tests.
    CLEARHAUS_URL: `${urls.sandbox}/clearhaus`,
    CLEARHAUS_API_KEY: clearhaus.apiKey,
    CLEARHAUS_SIGNING_API_KEY: clearhaus.signingApiKey,
    CLEARHAUS_SIGNING_KEY_FILE: clearhaus.privateKeyPath,
    // EMV 3-D Secure (the challenge page after PATCH 1008): the sandbox's 3dsecure.io simulator.
    THREE_DS_SERVER_URL: `${urls.sandbox}/3dsecure-io`,
    THREE_DS_SERVER_API_KEY: THREE_DS_IO_TEST_API_KEY,
    THREE_DS_ACQUIRER_BIN: '438309',
  };
  const envOf: Record<ServiceName, Record<string, string>> = {
    sandbox: {
      ...common,
      SANDBOX_CLIENT_ID: clientId,
      SANDBOX_CLIENT_SECRET: clientSecret,
      SANDBOX_PUBLIC_KEYS: `${publicKeyId}=${publicKeyPath}`,
      SANDBOX_POS_CLIENTS: `${posClientId}=${posClientSecret}`,
      SANDBOX_EPAYMENT_CLIENT_ID: 'psp-epayment-client',
      SANDBOX_EPAYMENT_CLIENT_SECRET: epaymentSecret,
      SANDBOX_EPAYMENT_SUBSCRIPTION_KEY: epaymentSubscriptionKey,
      SANDBOX_EPAYMENT_PSP_ID: 'psp-demo',
      SANDBOX_CLEARHAUS_SIGNING_KEYS: `${clearhaus.signingApiKey}=${clearhaus.publicKeyPath}`,
      SANDBOX_CLEARHAUS_ACCOUNTS: `${clearhaus.apiKey}=${CLEARHAUS_MERCHANT_ID}`,
      // MobilePay's notification service: points of sale created with this callbackAlias.
      SANDBOX_POS_CALLBACK_ALIASES: `${POS_CALLBACK_ALIAS}=${urls.gateway}/callbacks/mobilepay/pos/notifications`,
      ...options.env?.sandbox,
    },
    gateway: { ...common, SERVICE_NAME: 'psp-gateway', ...options.env?.gateway },
    worker: { ...common, SERVICE_NAME: 'psp-worker', ...options.env?.worker },
  };
  const health: Record<ServiceName, string> = {
    sandbox: `${urls.sandbox}/health`,
    gateway: `${urls.gateway}/health/ready`,
    worker: `${urls.workerHealth}/health/ready`,
  };
  const children = new Map<ServiceName, { child: ChildProcess; log: WriteStream }>();

  const start = async (name: ServiceName): Promise<void> => {
    if (children.has(name)) return;
    const log = createWriteStream(join(logDir, `${name}.log`), { flags: 'a' });
    const child = spawn(
      process.execPath,
      [...(options.nodeArgs?.[name] ?? []), join(REPO_ROOT, ENTRY[name])],
      {
        cwd: REPO_ROOT,
        env: { PATH: process.env.PATH ?? '', ...envOf[name] },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stdout?.pipe(log, { end: false });
    child.stderr?.pipe(log, { end: false });
    children.set(name, { child, log });
    child.once('exit', () => children.get(name)?.child === child && children.delete(name));
    await waitForHealthy(
      name,
      health[name],
      () => children.get(name)?.child === child,
      join(logDir, `${name}.log`),
    );
  };

  const terminate = async (name: ServiceName, signal: NodeJS.Signals): Promise<void> => {
    const entry = children.get(name);
    if (!entry) return;
    const exited = new Promise<void>((done) => entry.child.once('exit', () => done()));
    entry.child.kill(signal);
    await Promise.race([exited, sleep(15_000, undefined, { ref: false })]);
    if (entry.child.exitCode === null && entry.child.signalCode === null) {
      entry.child.kill('SIGKILL');
      await exited;
    }
    children.delete(name);
    entry.log.end();
  };

  const stack: Stack = {
    urls,
    adminKey,
    publicKeyId,
    publicKeyPath,
    logDir,
    start,
    setEnv: (name, env) => Object.assign(envOf[name], env),
    kill: (name) => terminate(name, 'SIGKILL'),
    stop: (name) => terminate(name, 'SIGTERM'),
    isRunning: (name) => children.has(name),
    pid: (name) => children.get(name)?.child.pid,
    close: async () => {
      await Promise.all([...children.keys()].map((name) => terminate(name, 'SIGTERM')));
      await logoServer.close();
    },
  };
  try {
    await start('sandbox');
    await Promise.all([start('gateway'), start('worker')]);
  } catch (error) {
    await stack.close();
    throw error;
  }
  return stack;
}

/** The Clearhaus merchant account the stack's sandbox knows the API key of. */
export const CLEARHAUS_MERCHANT_ID = '000000003000001';

/** A partner signing key pair (RSA 2048) and API keys, kept with the run's card keys. */
function clearhausPartner(keyDir: string) {
  const privateKeyPath = join(keyDir, 'clearhaus-signing-private.pem');
  const publicKeyPath = join(keyDir, 'clearhaus-signing-public.pem');
  const idsPath = join(keyDir, 'clearhaus-keys.json');
  if (!existsSync(privateKeyPath) || !existsSync(idsPath)) {
    mkdirSync(keyDir, { recursive: true });
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    writeFileSync(privateKeyPath, privateKey.export({ type: 'pkcs8', format: 'pem' }), {
      mode: 0o600,
    });
    writeFileSync(publicKeyPath, publicKey.export({ type: 'spki', format: 'pem' }));
    writeFileSync(idsPath, JSON.stringify({ apiKey: randomUUID(), signingApiKey: randomUUID() }));
  }
  const ids = JSON.parse(readFileSync(idsPath, 'utf8')) as {
    apiKey: string;
    signingApiKey: string;
  };
  return { ...ids, privateKeyPath, publicKeyPath };
}

async function waitForHealthy(
  name: ServiceName,
  url: string,
  alive: () => boolean,
  logFile: string,
): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (!alive()) {
      await sleep(250); // let the pipes flush the last lines (the reason) into the log
      throw new Error(`${name} exited during start-up:\n${tail(logFile)}`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`${name} did not become healthy in 30 s:\n${tail(logFile)}`);
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-15).join('\n');
  } catch {
    return '(no log)';
  }
}
