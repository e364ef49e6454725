import { checkOutboundUrl } from './outbound-url';

const dev = { allowLoopbackHttp: true };
const production = { allowLoopbackHttp: false };

describe('the outbound URL rule: one reading per URL', () => {
  it.each([
    'https://shop.example.dk/logo-250.png',
    'https://shop.example.dk:8443/hooks?x=1#f',
    'https://xn--blbr-roa.dk/logo.png',
    'https://93.184.216.34/hooks',
    'https://[2a00:1450:4001:80b::200e]/hooks',
    'https://SHOP.example.DK/logo.png',
    // IPv6 in any valid form (the address policy judges where it points).
    'https://[0:0:0:0:0:0:0:1]/',
    'https://[::ffff:192.168.0.10]/hooks',
  ])('accepts %s', (raw) => {
    expect(checkOutboundUrl(raw, production)).toMatchObject({ ok: true, loopbackHttp: false });
  });

  it.each([
    ['https://93.184.215.14\\@127.0.0.1/', 'ambiguous', /backslash/],
    ['https://shop.dk\\evil.example/', 'ambiguous', /backslash/],
    ['https:\\\\127.0.0.1/', 'ambiguous', /backslash/],
    ['https://user:pass@shop.dk/', 'credentials', /credentials/],
    ['https://93.184.215.14@127.0.0.1/', 'credentials', /credentials/],
    ['https://%6c%6f%63%61%6c%68%6f%73%74/', 'ambiguous', /percent-encoded/],
    ['https://127.0.0.1%2f@shop.dk/', 'credentials', /credentials/],
    ['https://127.1/', 'ambiguous', /non-canonical/],
    ['https://0x7f000001/', 'ambiguous', /non-canonical/],
    ['https://2130706433/', 'ambiguous', /non-canonical/],
    ['https://0177.0.0.1/', 'ambiguous', /non-canonical/],
    ['https://[fe80::1%25eth0]/', 'not_a_url', /not a URL/],
    ['https://blåbær.dk/logo.png', 'ambiguous', /non-ASCII/],
    ['https://shop.dk/a b', 'ambiguous', /spaces/],
    ['https:/shop.dk/logo.png', 'not_a_url', /absolute URL/],
    ['https:///shop.dk/logo.png', 'ambiguous', /not a plain name/],
    ['https://shop.dk:99999/', 'not_a_url', /not a URL/],
    ['not a url', 'not_a_url', /not a URL/],
    ['ftp://shop.dk/logo.png', 'not_https', /https/],
    ['http://shop.example.dk/logo.png', 'not_https', /https/],
  ])('refuses %s (%s)', (raw, problem, reason) => {
    const check = checkOutboundUrl(raw, dev);
    expect(check).toMatchObject({ ok: false, problem });
    if (!check.ok) expect(check.reason).toMatch(reason);
  });

  it('allows plain http to loopback outside production only', () => {
    for (const raw of ['http://127.0.0.1:4100/logo.png', 'http://localhost/x', 'http://[::1]:9/']) {
      expect(checkOutboundUrl(raw, dev)).toMatchObject({ ok: true, loopbackHttp: true });
      expect(checkOutboundUrl(raw, production)).toMatchObject({ ok: false, problem: 'not_https' });
    }
    expect(checkOutboundUrl('http://127.0.0.2/', dev)).toMatchObject({ problem: 'not_https' });
  });
});
