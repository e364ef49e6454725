import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The nearest ancestor with a package.json: the repo root from both `src/` and `dist/`. */
export function findRepoRoot(start: string = __dirname): string {
  let dir = start;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
  return dir;
}
