import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkDockerfile, checkLockfile } from './image-check';

const root = join(__dirname, '..');
const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  engines: { node: string };
};
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, object>;
};

describe('image:check', () => {
  it('accepts the Dockerfile and the lockfile as committed', () => {
    expect(checkDockerfile(dockerfile, packageJson)).toEqual([]);
    expect(checkLockfile(lock)).toEqual([]);
  });

  it.each([
    [
      'a base image by tag only',
      (d: string) => d.replace(/@sha256:[0-9a-f]{64}/, ''),
      /not pinned by digest/,
    ],
    [
      'npm install in a build step',
      (d: string) => d.replace('npm ci --ignore-scripts', 'npm install --ignore-scripts'),
      /npm install in the image build/,
    ],
    [
      'node_modules with devDependencies at run time',
      (d: string) =>
        d.replace('--from=prod-deps /app/node_modules', '--from=deps /app/node_modules'),
      /keeps devDependencies/,
    ],
    ['root at run time', (d: string) => d.replace('USER 10001:10001', 'USER root'), /non-root/],
    ['no USER', (d: string) => d.replace('USER 10001:10001\n', ''), /sets no USER/],
    ['no health statement', (d: string) => d.replace('HEALTHCHECK NONE\n', ''), /HEALTHCHECK/],
    [
      'another Node.js major than engines',
      (d: string) => d.replace(/(ARG NODE_IMAGE=\S*node:)24/, '$120'),
      /differs from engines/,
    ],
  ])('refuses %s', (_, mutate, problem) => {
    const mutated = mutate(dockerfile);
    expect(mutated).not.toBe(dockerfile);
    expect(checkDockerfile(mutated, packageJson).join('\n')).toMatch(problem);
  });

  it('refuses a lockfile without another platform’s optional binary (npm ci would)', () => {
    const name = 'node_modules/@msgpackr-extract/msgpackr-extract-darwin-arm64';
    expect(lock.packages).toHaveProperty([name]);
    const packages = { ...lock.packages };
    delete packages[name];
    expect(checkLockfile({ packages })).toEqual([
      expect.stringContaining('@msgpackr-extract/msgpackr-extract-darwin-arm64'),
    ]);
  });
});
