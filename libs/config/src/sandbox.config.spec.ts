import { ConfigError } from './env';
import { loadSandboxConfig } from './sandbox.config';

describe('sandbox config: SANDBOX_ISO8583_PORT', () => {
  it.each<[Record<string, string>, number]>([
    [{}, 4100],
    [{ SANDBOX_PORT: '4000' }, 4100],
    [{ SANDBOX_PORT: '0' }, 0],
    [{ SANDBOX_PORT: '0', SANDBOX_ISO8583_PORT: '4200' }, 4200],
    [{ SANDBOX_ISO8583_PORT: '0' }, 0],
  ])('%p → port %i', (env, port) => {
    expect(loadSandboxConfig(env).iso8583.port).toBe(port);
  });

  it('refuses a port out of range', () => {
    expect(() => loadSandboxConfig({ SANDBOX_ISO8583_PORT: '70000' })).toThrow(ConfigError);
  });
});
