import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Where a request the gateway makes on a merchant's word (logo fetches, webhooks) may go: public
 * unicast addresses only. Built from IANA's registries (snapshot in ./iana, checked row by row by
 * the tests):
 *
 * - every block of the IPv4 and IPv6 Special-Purpose Address Registries is refused — also the
 *   few marked "globally reachable": they are anycast services answered by the nearest server
 *   (PCP, TURN, DNS-SD, AMT relays, AS112), i.e. possibly inside our own network, or identifiers
 *   that are not locators (ORCHIDv2, DETs); no merchant's host lives there;
 * - IPv4 multicast 224.0.0.0/4 (IPv4 Multicast Address Space Registry) is refused;
 * - an IPv6 address must be global unicast, 2000::/3 (IPv6 Address Space Registry): everything
 *   else is reserved, unique-local, link-local, site-local (fec0::/10) or multicast.
 *
 * IPv6 forms that carry an IPv4 address and reach it — IPv4-mapped (::ffff:10.0.0.1, also written
 * ::ffff:a00:1), SIIT (::ffff:0:10.0.0.1), NAT64's well-known prefix (64:ff9b::10.0.0.1) and 6to4
 * (2002:0a00:0001::) — are judged as the IPv4 address inside, or a private host hides behind a
 * public-looking one. The local-use NAT64 prefix 64:ff9b:1::/48 and Teredo are refused.
 */
export const IANA_SNAPSHOT = '2026-07-18';

/** Every row of the IPv4 Special-Purpose Address Registry. */
export const IPV4_SPECIAL_PURPOSE: readonly (readonly [block: string, name: string])[] = [
  ['0.0.0.0/8', '"This network"'],
  ['0.0.0.0/32', '"This host on this network"'],
  ['10.0.0.0/8', 'Private-Use'],
  ['100.64.0.0/10', 'Shared Address Space'],
  ['127.0.0.0/8', 'Loopback'],
  ['169.254.0.0/16', 'Link Local'],
  ['172.16.0.0/12', 'Private-Use'],
  ['192.0.0.0/24', 'IETF Protocol Assignments'],
  ['192.0.0.0/29', 'IPv4 Service Continuity Prefix'],
  ['192.0.0.8/32', 'IPv4 dummy address'],
  ['192.0.0.9/32', 'Port Control Protocol Anycast'],
  ['192.0.0.10/32', 'Traversal Using Relays around NAT Anycast'],
  ['192.0.0.170/32', 'NAT64/DNS64 Discovery'],
  ['192.0.0.171/32', 'NAT64/DNS64 Discovery'],
  ['192.0.2.0/24', 'Documentation (TEST-NET-1)'],
  ['192.31.196.0/24', 'AS112-v4'],
  ['192.52.193.0/24', 'AMT'],
  ['192.88.99.0/24', 'Deprecated (6to4 Relay Anycast)'],
  ['192.88.99.2/32', '6a44-relay anycast address'],
  ['192.168.0.0/16', 'Private-Use'],
  ['192.175.48.0/24', 'Direct Delegation AS112 Service'],
  ['198.18.0.0/15', 'Benchmarking'],
  ['198.51.100.0/24', 'Documentation (TEST-NET-2)'],
  ['203.0.113.0/24', 'Documentation (TEST-NET-3)'],
  ['240.0.0.0/4', 'Reserved'],
  ['255.255.255.255/32', 'Limited Broadcast'],
];

/** IPv4 Multicast Address Space Registry: the whole of it. */
export const IPV4_MULTICAST = '224.0.0.0/4';

/** Every row of the IPv6 Special-Purpose Address Registry. */
export const IPV6_SPECIAL_PURPOSE: readonly (readonly [block: string, name: string])[] = [
  ['::1/128', 'Loopback Address'],
  ['::/128', 'Unspecified Address'],
  ['::ffff:0:0/96', 'IPv4-mapped Address'],
  ['64:ff9b::/96', 'IPv4-IPv6 Translat.'],
  ['64:ff9b:1::/48', 'IPv4-IPv6 Translat.'],
  ['100::/64', 'Discard-Only Address Block'],
  ['100:0:0:1::/64', 'Dummy IPv6 Prefix'],
  ['2001::/23', 'IETF Protocol Assignments'],
  ['2001::/32', 'TEREDO'],
  ['2001:1::1/128', 'Port Control Protocol Anycast'],
  ['2001:1::2/128', 'Traversal Using Relays around NAT Anycast'],
  ['2001:1::3/128', 'DNS-SD Service Registration Protocol Anycast'],
  ['2001:2::/48', 'Benchmarking'],
  ['2001:3::/32', 'AMT'],
  ['2001:4:112::/48', 'AS112-v6'],
  ['2001:10::/28', 'Deprecated (previously ORCHID)'],
  ['2001:20::/28', 'ORCHIDv2'],
  ['2001:30::/28', 'Drone Remote ID Protocol Entity Tags (DETs) Prefix'],
  ['2001:db8::/32', 'Documentation'],
  ['2002::/16', '6to4'],
  ['2620:4f:8000::/48', 'Direct Delegation AS112 Service'],
  ['3fff::/20', 'Documentation'],
  ['5f00::/16', 'Segment Routing (SRv6) SIDs'],
  ['fc00::/7', 'Unique-Local'],
  ['fe80::/10', 'Link-Local Unicast'],
];

/** IPv6 Address Space Registry: the only block allocated as global unicast. */
export const IPV6_GLOBAL_UNICAST = '2000::/3';

function blockList(blocks: readonly string[], family: 'ipv4' | 'ipv6'): BlockList {
  const list = new BlockList();
  for (const block of blocks) {
    const [network, prefix] = block.split('/');
    list.addSubnet(network, Number(prefix), family);
  }
  return list;
}

const REFUSED_V4 = blockList(
  [...IPV4_SPECIAL_PURPOSE.map(([block]) => block), IPV4_MULTICAST],
  'ipv4',
);
const REFUSED_V6 = blockList(
  IPV6_SPECIAL_PURPOSE.map(([block]) => block),
  'ipv6',
);
const GLOBAL_V6 = blockList([IPV6_GLOBAL_UNICAST], 'ipv6');

/** The IPv6 forms that reach an IPv4 host, and where (16-bit group) the IPv4 address sits. */
const IPV4_INSIDE: readonly { range: [ipaddr.IPv6, number]; at: number }[] = [
  { range: ipaddr.IPv6.parseCIDR('::ffff:0:0/96'), at: 6 },
  { range: ipaddr.IPv6.parseCIDR('::ffff:0:0:0/96'), at: 6 },
  { range: ipaddr.IPv6.parseCIDR('64:ff9b::/96'), at: 6 },
  { range: ipaddr.IPv6.parseCIDR('2002::/16'), at: 1 },
];

function embeddedIPv4(address: string): string | undefined {
  const parsed = ipaddr.IPv6.parse(address);
  const inside = IPV4_INSIDE.find(({ range }) => parsed.match(range));
  if (!inside) return undefined;
  const [high, low] = parsed.parts.slice(inside.at, inside.at + 2);
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  if (family === 6) {
    const inner = embeddedIPv4(address);
    if (inner !== undefined) return isPublicAddress(inner);
    return GLOBAL_V6.check(address, 'ipv6') && !REFUSED_V6.check(address, 'ipv6');
  }
  return !REFUSED_V4.check(address, 'ipv4');
}

/** A URL's hostname without the brackets of an IPv6 literal (`[::1]` → `::1`). */
export function bareHost(hostname: string): string {
  return hostname.replace(/^\[(.*)\]$/, '$1');
}

/** What a name resolved to is usable only if there is something and all of it is public. */
export function allPublic(addresses: readonly { address: string }[]): boolean {
  return addresses.length > 0 && addresses.every(({ address }) => isPublicAddress(address));
}

export class NonPublicAddressError extends Error {
  constructor(readonly hostname: string) {
    super(`${hostname} does not resolve to public addresses only`);
    this.name = 'NonPublicAddressError';
  }
}

/**
 * Resolves `hostname` (a name or an IP literal, brackets allowed) and throws unless every address
 * it has is public. A name that does not resolve throws the resolver's error. A check ahead of
 * time only (to refuse at input): the connection itself must be pinned to what it checks.
 */
export async function assertPublicHost(
  hostname: string,
  resolve: (host: string) => Promise<{ address: string }[]> = (host) =>
    lookup(host, { all: true, verbatim: true }),
): Promise<void> {
  const host = bareHost(hostname);
  const addresses = isIP(host) ? [{ address: host }] : await resolve(host);
  if (!allPublic(addresses)) throw new NonPublicAddressError(hostname);
}
