import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../scripts/stack/stack';
import type { LoadPlan, LoadResult } from './load-generator';

/**
 * Runs a load plan in a separate Node process: the compiled load-generator.js, also when called
 * from the TypeScript sources (the jest suite runs after the build, like the stack it drives).
 */
export function generateLoad(plan: LoadPlan): Promise<LoadResult> {
  const script = join(REPO_ROOT, 'dist', 'bench', 'lib', 'load-generator.js');
  if (!existsSync(script)) throw new Error(`${script} is missing: run npm run build`);
  const child = fork(script, { stdio: 'inherit' });
  return new Promise((resolve, reject) => {
    let result: LoadResult | undefined;
    child.once('message', (message) => (result = message as LoadResult));
    child.once('error', reject);
    child.once('exit', (code) =>
      result ? resolve(result) : reject(new Error(`load generator exited with ${code}`)),
    );
    child.send(plan);
  });
}
