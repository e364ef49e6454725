import { SenderPolicy } from './sender-policy';

const MOBILEPAY_RANGES = ['212.93.32.0/19', '185.218.228.0/22'];

describe('SenderPolicy (who may call the MobilePay callback endpoints)', () => {
  it('allows nothing but the listed ranges, IPv4-mapped addresses included', () => {
    const policy = new SenderPolicy({ allowedCidrs: MOBILEPAY_RANGES });
    const from = (ip: string) => policy.reject({ ip, peerIp: ip, headers: {} });
    expect(from('212.93.33.7')).toBeUndefined();
    expect(from('::ffff:185.218.229.10')).toBeUndefined();
    expect(from('8.8.8.8')).toMatch(/not allow-listed/);
    expect(from('not-an-address')).toMatch(/not allow-listed/);
  });

  it('believes the certificate header only from a trusted proxy', () => {
    const policy = new SenderPolicy({
      allowedCidrs: [],
      clientCertCommonName: 'callback.mobilepay.dk',
      clientCertCommonNameHeader: 'x-client-cert-cn',
      trustedProxies: ['10.0.0.0/8'],
    });
    const headers = { 'x-client-cert-cn': 'callback.mobilepay.dk' };
    expect(policy.reject({ ip: '212.93.33.7', peerIp: '10.1.2.3', headers })).toBeUndefined();
    // The same header straight from anyone else (say, a pod next door) proves nothing.
    expect(policy.reject({ ip: '212.93.33.7', peerIp: '192.168.1.5', headers })).toMatch(
      /not a trusted proxy/,
    );
    expect(
      policy.reject({
        ip: '212.93.33.7',
        peerIp: '10.1.2.3',
        headers: { 'x-client-cert-cn': 'evil.example' },
      }),
    ).toMatch(/does not match/);
  });

  it('checks the CN of a certificate verified by our own TLS listener', () => {
    const policy = new SenderPolicy({
      allowedCidrs: [],
      clientCertCommonName: 'callback.mobilepay.dk',
    });
    const facts = { ip: '1.2.3.4', peerIp: '1.2.3.4', headers: {} };
    expect(policy.reject({ ...facts, peerCommonName: 'callback.mobilepay.dk' })).toBeUndefined();
    expect(policy.reject(facts)).toMatch(/does not match/);
  });

  it('refuses a malformed range at start-up', () => {
    expect(() => new SenderPolicy({ allowedCidrs: ['nonsense/8'] })).toThrow(
      /CALLBACK_ALLOWED_CIDRS/,
    );
  });
});
