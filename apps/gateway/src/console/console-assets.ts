import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.map': 'application/json',
};

export interface ConsoleAsset {
  type: string;
  body: Buffer;
}

/**
 * The console's front end, built by Vite at build time into `dist/console`, read once at boot:
 * requests are answered from memory by exact name, so no path from a request ever reaches the
 * file system. Missing (a gateway started without `npm run build`): the console answers 503.
 */
export class ConsoleAssets {
  readonly shell?: string;
  private readonly assets = new Map<string, ConsoleAsset>();

  constructor(root: string = join(__dirname, '../../../../console')) {
    const index = join(root, 'index.html');
    if (!existsSync(index)) return;
    this.shell = readFileSync(index, 'utf8');
    const dir = join(root, 'assets');
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir)) {
      const type = TYPES[extname(name)];
      if (type) this.assets.set(name, { type, body: readFileSync(join(dir, name)) });
    }
  }

  asset(name: string): ConsoleAsset | undefined {
    return this.assets.get(name);
  }

  /** The shell with this session's CSRF token in its `<meta name="csrf-token">`. */
  shellFor(csrf: string): string | undefined {
    return this.shell?.replace('__CSRF_TOKEN__', csrf);
  }
}
