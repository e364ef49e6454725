import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ipaddr from 'ipaddr.js';
import {
  assertPublicHost,
  IPV4_SPECIAL_PURPOSE,
  IPV6_SPECIAL_PURPOSE,
  isPublicAddress,
  NonPublicAddressError,
} from './public-address';

/** RFC 4180: quoted fields may hold commas, doubled quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const endField = () => {
    row.push(field);
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted && c === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (quoted || (c !== ',' && c !== '\n' && c !== '\r')) {
      field += c;
    } else if (c === ',') {
      endField();
    } else if (c === '\n') {
      endField();
      rows.push(row);
      row = [];
    }
  }
  if (field || row.length) {
    endField();
    rows.push(row);
  }
  return rows.slice(1);
}

/** The registry's blocks as IANA writes them: "a, b" lists, footnote marks such as " [2]". */
function registry(file: string): { block: string; name: string; reachable: string }[] {
  return parseCsv(readFileSync(join(__dirname, 'iana', file), 'utf8')).flatMap((row) =>
    row[0]
      .split(',')
      .map((block) => block.replace(/\s*\[\d+\]/, '').trim())
      .map((block) => ({ block, name: row[1], reachable: row[8] ?? '' })),
  );
}

type Address = ipaddr.IPv4 | ipaddr.IPv6;

function toBig(address: Address): bigint {
  return address.toByteArray().reduce((n, byte) => (n << 8n) | BigInt(byte), 0n);
}

function fromBig(value: bigint, v6: boolean): string {
  const length = v6 ? 16 : 4;
  const bytes = Array.from({ length }, (_, i) =>
    Number((value >> BigInt(8 * (length - 1 - i))) & 0xffn),
  );
  return ipaddr.fromByteArray(bytes).toString();
}

/** First, middle and last address of a block, and the addresses just outside it. */
function probes(block: string) {
  const [network, prefix] = ipaddr.parseCIDR(block);
  const v6 = network.kind() === 'ipv6';
  const bits = v6 ? 128 : 32;
  const size = 1n << BigInt(bits - prefix);
  const first = toBig(network);
  const last = first + size - 1n;
  const max = (1n << BigInt(bits)) - 1n;
  return {
    inside: [first, first + size / 2n, last].map((n) => fromBig(n, v6)),
    outside: [first - 1n, last + 1n].filter((n) => n >= 0n && n <= max).map((n) => fromBig(n, v6)),
  };
}

const V4 = registry('iana-ipv4-special-registry-1.csv');
const V6 = registry('iana-ipv6-special-registry-1.csv');
const V6_SPACE = parseCsv(readFileSync(join(__dirname, 'iana', 'ipv6-address-space.csv'), 'utf8'));
/** Prefixes that carry an IPv4 address: judged as that address, not as a block of their own. */
const CARRIES_IPV4 = new Set(['::ffff:0:0/96', '64:ff9b::/96', '2002::/16']);
const inAny = (address: string, blocks: readonly string[]) =>
  blocks.some((block) => {
    const parsed = ipaddr.parse(address);
    const range = ipaddr.parseCIDR(block);
    return parsed.kind() === range[0].kind() && parsed.match(range);
  });

describe('public addresses: generated from the IANA registries', () => {
  it('holds exactly the rows of the registries (nothing dropped, nothing invented)', () => {
    expect(IPV4_SPECIAL_PURPOSE.map(([block]) => block)).toEqual(V4.map((row) => row.block));
    expect(IPV6_SPECIAL_PURPOSE.map(([block]) => block)).toEqual(V6.map((row) => row.block));
    expect(V4.length).toBeGreaterThanOrEqual(26);
    expect(V6.length).toBeGreaterThanOrEqual(25);
  });

  /** One test per registry row: its first, middle and last address, and its free neighbours. */
  function rowTests(block: string, allowedOutside: (address: string) => boolean) {
    const { inside, outside } = probes(block);
    it(`refuses ${inside.join(', ')}`, () => {
      for (const a of inside) expect([a, isPublicAddress(a)]).toEqual([a, false]);
    });
    const neighbours = outside.filter(allowedOutside);
    if (neighbours.length === 0) return;
    it(`allows the neighbours ${neighbours.join(', ')}`, () => {
      for (const a of neighbours) expect([a, isPublicAddress(a)]).toEqual([a, true]);
    });
  }

  const refusedV4 = [...V4.map((row) => row.block), '224.0.0.0/4'];
  for (const row of V4) {
    describe(`IPv4 ${row.block} (${row.name}, globally reachable: ${row.reachable || 'blank'})`, () =>
      rowTests(row.block, (a) => !inAny(a, refusedV4)));
  }
  describe('IPv4 224.0.0.0/4 (Multicast Address Space)', () =>
    rowTests('224.0.0.0/4', (a) => !inAny(a, refusedV4)));

  const refusedV6 = V6.map((row) => row.block);
  for (const row of V6.filter(({ block }) => !CARRIES_IPV4.has(block))) {
    describe(`IPv6 ${row.block} (${row.name}, globally reachable: ${row.reachable || 'blank'})`, () =>
      rowTests(row.block, (a) => inAny(a, ['2000::/3']) && !inAny(a, refusedV6)));
  }
  for (const [block, allocation] of V6_SPACE.filter((row) => row[1] !== 'Global Unicast')) {
    describe(`IPv6 address space ${block} (${allocation})`, () =>
      rowTests(block, (a) => inAny(a, ['2000::/3']) && !inAny(a, refusedV6)));
  }

  it('knows the one global unicast block of the IPv6 address space', () => {
    expect(V6_SPACE.filter((row) => row[1] === 'Global Unicast').map((row) => row[0])).toEqual([
      '2000::/3',
    ]);
    expect(isPublicAddress('2a00:1450:4001:80b::200e')).toBe(true);
    expect(isPublicAddress('fec0::1')).toBe(false);
  });

  /** Each IPv4 probe, written in every IPv6 form that reaches it. */
  const carriers = (v4: string) => {
    const [a, b, c, d] = v4.split('.').map(Number);
    const hi = ((a << 8) | b).toString(16);
    const lo = ((c << 8) | d).toString(16);
    return [
      `::ffff:${v4}`,
      `::ffff:${hi}:${lo}`,
      `::ffff:0:${v4}`,
      `64:ff9b::${v4}`,
      `2002:${hi}:${lo}::1`,
    ];
  };
  it('judges every IPv4 probe inside IPv6 (mapped, SIIT, NAT64, 6to4) as itself', () => {
    const v4s = [...V4.map((row) => row.block), '224.0.0.0/4'].flatMap((b) => probes(b).inside);
    for (const v4 of v4s) {
      for (const v6 of carriers(v4)) expect([v6, isPublicAddress(v6)]).toEqual([v6, false]);
    }
  });

  it.each(['8.8.8.8', '93.184.216.34', '172.32.0.1'])('allows public %s in every form', (v4) => {
    expect(isPublicAddress(v4)).toBe(true);
    for (const v6 of carriers(v4)) expect([v6, isPublicAddress(v6)]).toEqual([v6, true]);
  });

  it.each([
    '64:ff9b:1::808:808',
    '2001:0:4136:e378:8000:63bf:3fff:fdd2',
    '::10.0.0.1',
    'not-an-ip',
    '',
  ])('refuses %s', (address) => {
    expect(isPublicAddress(address)).toBe(false);
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
    await expect(assertPublicHost('[fec0::1]', never)).rejects.toBeInstanceOf(
      NonPublicAddressError,
    );
    await expect(assertPublicHost('192.88.99.1', never)).rejects.toBeInstanceOf(
      NonPublicAddressError,
    );
    await expect(assertPublicHost('8.8.8.8', never)).resolves.toBeUndefined();
  });

  it('resolves for real: localhost is not public', async () => {
    await expect(assertPublicHost('localhost')).rejects.toBeInstanceOf(NonPublicAddressError);
  });
});
