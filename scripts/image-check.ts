/**
 * `npm run image:check`: the Dockerfile rules the image depends on, checked without a container
 * engine or CI (a text check of the Dockerfile, the lockfile and package.json):
 *   - every base image is pinned by digest (`name@sha256:<64 hex>`), ARG defaults resolved;
 *   - dependencies are installed with `npm ci` from the committed lockfile, never `npm install`;
 *   - the runtime stage gets node_modules only from a stage that dropped devDependencies;
 *   - the runtime stage runs as a numeric non-root user, and says how it is health-checked
 *     (a HEALTHCHECK, or HEALTHCHECK NONE when the orchestrator probes);
 *   - the runtime stage's Node.js major matches package.json engines;
 *   - the lockfile is one `npm ci` accepts: every optional dependency of a locked package is locked
 *     too (the other platforms' binaries included).
 * Exits 1 listing what is wrong.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

interface Stage {
  name: string | null;
  from: string;
  instructions: Instruction[];
}

/** Joins continuation lines, drops comments and blank lines. */
export function parseDockerfile(text: string): Instruction[] {
  const instructions: Instruction[] = [];
  let pending = '';
  let startLine = 0;
  text.split('\n').forEach((raw, index) => {
    const line = raw.trimEnd();
    if (!pending && (line.trim() === '' || line.trimStart().startsWith('#'))) return;
    if (pending && line.trimStart().startsWith('#')) return;
    if (!pending) startLine = index + 1;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      return;
    }
    const full = (pending + line).trim();
    pending = '';
    const [keyword, ...rest] = full.split(/\s+/);
    instructions.push({ keyword: keyword.toUpperCase(), args: rest.join(' '), line: startLine });
  });
  return instructions;
}

function stagesOf(instructions: Instruction[]): {
  globalArgs: Map<string, string>;
  stages: Stage[];
} {
  const globalArgs = new Map<string, string>();
  const stages: Stage[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      const match = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(instruction.args);
      stages.push({ name: match?.[2] ?? null, from: match?.[1] ?? '', instructions: [] });
    } else if (stages.length === 0 && instruction.keyword === 'ARG') {
      const [name, value] = instruction.args.split('=', 2);
      if (value !== undefined) globalArgs.set(name, value.replace(/^"|"$/g, ''));
    } else if (stages.length > 0) {
      stages[stages.length - 1].instructions.push(instruction);
    }
  }
  return { globalArgs, stages };
}

const DIGEST = /@sha256:[0-9a-f]{64}$/;

export function checkDockerfile(
  text: string,
  packageJson: { engines?: { node?: string } },
): string[] {
  const problems: string[] = [];
  const { globalArgs, stages } = stagesOf(parseDockerfile(text));
  if (stages.length === 0) return ['no FROM instruction'];
  const stageNames = new Set(stages.map((stage) => stage.name).filter(Boolean));
  const resolve = (image: string) =>
    image.replace(
      /\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g,
      (_, name: string) => globalArgs.get(name) ?? '',
    );

  for (const stage of stages) {
    if (stageNames.has(stage.from)) continue;
    const image = resolve(stage.from);
    if (!DIGEST.test(image)) {
      problems.push(`base image ${stage.from} (${image || 'unset'}) is not pinned by digest`);
    }
  }

  for (const stage of stages) {
    for (const run of stage.instructions.filter((i) => i.keyword === 'RUN')) {
      if (/\bnpm\s+(install|i|add)\b/.test(run.args)) {
        problems.push(`line ${run.line}: npm install in the image build (use npm ci)`);
      }
    }
  }
  const installs = stages.flatMap((stage) =>
    stage.instructions.filter((i) => i.keyword === 'RUN' && /\bnpm\s+ci\b/.test(i.args)),
  );
  if (installs.length === 0) problems.push('no stage installs dependencies with npm ci');

  const runtime = stages[stages.length - 1];
  const copiesModules = runtime.instructions.filter(
    (i) => i.keyword === 'COPY' && /node_modules/.test(i.args),
  );
  if (copiesModules.length === 0) problems.push('the runtime stage ships no node_modules');
  for (const copy of copiesModules) {
    const from = /--from=(\S+)/.exec(copy.args)?.[1];
    const source = stages.find((stage) => stage.name === from);
    const omitsDev = source?.instructions.some(
      (i) => i.keyword === 'RUN' && /\bnpm\s+(prune|ci)\b[^&|;]*--omit=dev\b/.test(i.args),
    );
    if (!omitsDev) {
      problems.push(
        `line ${copy.line}: node_modules come from ${from ?? 'the build context'}, which keeps devDependencies (npm prune --omit=dev or npm ci --omit=dev)`,
      );
    }
  }

  const users = runtime.instructions.filter((i) => i.keyword === 'USER');
  const user = users[users.length - 1]?.args.split(':')[0];
  if (!user) problems.push('the runtime stage sets no USER (it would run as root)');
  else if (!/^\d+$/.test(user) || Number(user) === 0) {
    problems.push(`the runtime stage runs as ${user}: use a numeric non-root uid (runAsNonRoot)`);
  }
  const lastUser = users[users.length - 1];
  const laterRun = runtime.instructions.find(
    (i) => lastUser && i.keyword === 'RUN' && i.line > lastUser.line,
  );
  if (laterRun) problems.push(`line ${laterRun.line}: RUN after the last USER`);
  if (!runtime.instructions.some((i) => i.keyword === 'HEALTHCHECK')) {
    problems.push('the runtime stage has no HEALTHCHECK (or HEALTHCHECK NONE when probed)');
  }

  const engineMajor = /(\d+)/.exec(packageJson.engines?.node ?? '')?.[1];
  const runtimeImage = stageNames.has(runtime.from) ? '' : resolve(runtime.from);
  const imageMajor = /node:(\d+)/.exec(runtimeImage)?.[1];
  if (!engineMajor) problems.push('package.json has no engines.node');
  else if (imageMajor !== engineMajor) {
    problems.push(
      `the runtime image's Node.js major (${imageMajor ?? 'unknown'}) differs from engines.node (${packageJson.engines?.node})`,
    );
  }
  return problems;
}

interface LockPackage {
  optional?: boolean;
  optionalDependencies?: Record<string, string>;
}

/** npm ci refuses a lock where a locked package's optional dependency has no entry of its own. */
export function checkLockfile(lock: { packages?: Record<string, LockPackage> }): string[] {
  const packages = lock.packages ?? {};
  const problems: string[] = [];
  for (const [path, entry] of Object.entries(packages)) {
    for (const name of Object.keys(entry.optionalDependencies ?? {})) {
      // Resolved like Node: next to the package, then in each node_modules above it.
      const candidates: string[] = [];
      let base = path;
      for (;;) {
        candidates.push(`${base ? `${base}/` : ''}node_modules/${name}`);
        const at = base.lastIndexOf('node_modules/');
        if (at < 0) break;
        base = base.slice(0, at).replace(/\/$/, '');
      }
      if (!candidates.some((candidate) => candidate in packages)) {
        problems.push(`package-lock.json: ${name} (optional for ${path || 'the root'}) is missing`);
      }
    }
  }
  return problems;
}

function main(): void {
  const root = join(__dirname, '..', '..');
  const read = (file: string) => readFileSync(join(root, file), 'utf8');
  const problems = [
    ...checkDockerfile(read('Dockerfile'), JSON.parse(read('package.json')) as never),
    ...checkLockfile(JSON.parse(read('package-lock.json')) as never),
  ];
  for (const problem of problems) console.error(`image:check: ${problem}`);
  if (problems.length > 0) process.exit(1);
  console.log('image:check: Dockerfile and lockfile keep the image rules');
}

if (require.main === module) main();
