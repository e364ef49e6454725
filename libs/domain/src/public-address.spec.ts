import { assertPublicHost, isPublicAddress, NonPublicAddressError } from './public-address';

describe('public addresses (where merchant-chosen requests may go)', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '::1',
    '::',
    'fd00::1',
    'fe80::1',
    '::ffff:10.0.0.1',
    '::ffff:127.0.0.1',
    '::ffff:a00:1',
    '::ffff:7f00:1',
    '::ffff:0:10.0.0.1',
    '::10.0.0.1',
    '64:ff9b::10.0.0.1',
    '64:ff9b::a9fe:a9fe',
    '64:ff9b:1::8.8.8.8',
    '2002:a00:1::1',
    '2002:7f00:1::',
    '2002:a9fe:a9fe::1',
    '2001:0:4136:e378:8000:63bf:3fff:fdd2',
    'not-an-ip',
  ])('refuses %s', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each([
    '93.184.216.34',
    '172.32.0.1',
    '8.8.8.8',
    '2a00:1450:4001:80b::200e',
    '::ffff:8.8.8.8',
    '::ffff:808:808',
    '64:ff9b::8.8.8.8',
    '2002:808:808::1',
  ])('allows %s', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });

  it('checks every address a name resolves to, and IP literals without resolving', async () => {
    const resolver = (addresses: string[]) => () =>
      Promise.resolve(addresses.map((address) => ({ address })));
    await expect(
      assertPublicHost('hooks.example.com', resolver(['93.184.216.34'])),
    ).resolves.toBeUndefined();
    // One private address among public ones is enough to refuse (DNS could pick it).
    await expect(
      assertPublicHost('hooks.example.com', resolver(['93.184.216.34', '10.0.0.7'])),
    ).rejects.toBeInstanceOf(NonPublicAddressError);
    await expect(assertPublicHost('nothing.example', resolver([]))).rejects.toBeInstanceOf(
      NonPublicAddressError,
    );
    const never = () => Promise.reject(new Error('resolved'));
    await expect(assertPublicHost('[::1]', never)).rejects.toBeInstanceOf(NonPublicAddressError);
    await expect(assertPublicHost('8.8.8.8', never)).resolves.toBeUndefined();
  });

  it('resolves for real: localhost is not public', async () => {
    await expect(assertPublicHost('localhost')).rejects.toBeInstanceOf(NonPublicAddressError);
  });
});
