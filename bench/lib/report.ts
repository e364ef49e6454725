import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../scripts/stack/stack';

/** Writes `bench/results/<name>.json` and a Markdown rendering of it, and prints the JSON. */
export function writeReport(name: string, report: Record<string, unknown>): void {
  const dir = join(REPO_ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const stamped = { measuredAt: new Date().toISOString(), ...report };
  writeFileSync(join(dir, `${name}.json`), `${JSON.stringify(stamped, null, 2)}\n`);
  writeFileSync(join(dir, `${name}.md`), `# ${name}\n\n${toMarkdown(stamped, 0)}\n`);
  console.log(JSON.stringify(stamped, null, 2));
}

function toMarkdown(value: unknown, depth: number): string {
  if (value === null || typeof value !== 'object') return String(value);
  return Object.entries(value)
    .map(([key, inner]) =>
      inner !== null && typeof inner === 'object'
        ? `${'  '.repeat(depth)}- **${key}**\n${toMarkdown(inner, depth + 1)}`
        : `${'  '.repeat(depth)}- ${key}: ${String(inner)}`,
    )
    .join('\n');
}
