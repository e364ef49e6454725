import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConsoleAssets } from './console-assets';

describe('ConsoleAssets', () => {
  const root = mkdtempSync(join(tmpdir(), 'console-assets-'));
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'index.html'), '<meta name="csrf-token" content="__CSRF_TOKEN__">');
  writeFileSync(join(root, 'assets', 'index-abc.js'), 'console.log(1)');
  writeFileSync(join(root, 'assets', 'notes.txt'), 'not served');
  writeFileSync(join(root, 'secret.js'), 'outside the assets folder');

  it("serves the shell with the session's CSRF token and the built assets by exact name", () => {
    const sut = new ConsoleAssets(root);
    expect(sut.shellFor('tok')).toBe('<meta name="csrf-token" content="tok">');
    expect(sut.asset('index-abc.js')).toEqual({
      type: 'text/javascript; charset=utf-8',
      body: Buffer.from('console.log(1)'),
    });
    expect(sut.asset('notes.txt')).toBeUndefined();
    expect(sut.asset('../secret.js')).toBeUndefined();
    expect(sut.asset('..%2Fsecret.js')).toBeUndefined();
  });

  it('has no shell when the front end was not built', () => {
    const sut = new ConsoleAssets(join(root, 'missing'));
    expect(sut.shellFor('tok')).toBeUndefined();
    expect(sut.asset('index-abc.js')).toBeUndefined();
  });
});
